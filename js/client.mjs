// The only part of the client that must be JavaScript: Node's defaults (credentials and region
// from the environment and ~/.aws, js/node/credentials.cjs) on the Rust class. Everything else —
// reading the configuration, the send loop, errors — is `ConnectChatClient` in Rust (src/wasm/).
// A subclass, so getters, `free`, `Symbol.dispose` and `toJSON` stay the class's own.
// Written once as an ES module; scripts/assemble-pkg.mjs converts it to CommonJS for Node.

/** `Base` whose constructor first passes the configuration through `defaults`. */
export function withDefaults(Base, defaults) {
  return class ConnectChatClient extends Base {
    constructor(config) {
      super(defaults(config));
    }
  };
}
