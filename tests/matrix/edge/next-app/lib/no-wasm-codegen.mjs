// Vercel's edge runtime refuses to compile wasm from bytes; `next start` runs edge routes in a VM that allows it.
// Imported first by the edge routes, this refuses it here too, before the package loads, so the edge cells prove
// the package only instantiates the precompiled module Next hands it.
const disallowed = () => new WebAssembly.CompileError('WebAssembly.Module(): Wasm code generation disallowed by embedder');
const { Module, instantiate } = WebAssembly;
WebAssembly.Module = new Proxy(Module, { construct() { throw disallowed(); } });
WebAssembly.compile = async () => { throw disallowed(); };
WebAssembly.compileStreaming = async () => { throw disallowed(); };
WebAssembly.instantiateStreaming = async () => { throw disallowed(); };
WebAssembly.instantiate = (source, imports) => (Object.prototype.toString.call(source) === '[object WebAssembly.Module]'
  ? instantiate(source, imports) : Promise.reject(disallowed()));
