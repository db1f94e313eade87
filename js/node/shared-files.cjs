'use strict';
// The shared AWS files (~/.aws/credentials and ~/.aws/config) as the AWS SDK reads them: paths from
// AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, profiles (`[profile x]` in config, `[x]` in
// credentials, keys of the credentials file winning), and `[sso-session x]` sections.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function homeDir(env) {
  return env.HOME || env.USERPROFILE || (env.HOMEPATH ? `${env.HOMEDRIVE || 'C:'}${env.HOMEPATH}` : '') || os.homedir();
}

function expandHome(p, env) {
  return p.startsWith('~/') || p === '~' ? path.join(homeDir(env), p.slice(1)) : p;
}

/** Paths and profile name, from the environment as it is now. */
function locations(env = process.env, profile) {
  return {
    credentialsFile: expandHome(env.AWS_SHARED_CREDENTIALS_FILE || path.join(homeDir(env), '.aws', 'credentials'), env),
    configFile: expandHome(env.AWS_CONFIG_FILE || path.join(homeDir(env), '.aws', 'config'), env),
    profile: profile || env.AWS_PROFILE || 'default',
  };
}

/** Parses an INI file into { section: { key: value } }; `#` and `;` start comments. */
function parseIni(text) {
  const out = Object.create(null);
  let section = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(line);
    if (header) {
      section = header[1].trim();
      if (section === '__proto__') section = null;
      else out[section] ??= Object.create(null);
      continue;
    }
    const eq = line.indexOf('=');
    if (section === null || eq < 1 || /^\s/.test(raw)) continue; // nested (indented) values are skipped
    const key = line.slice(0, eq).trim().toLowerCase();
    let value = line.slice(eq + 1).trim();
    value = value.replace(/\s+[#;].*$/, '');
    if (key !== '__proto__') out[section][key] = value;
  }
  return out;
}

/** A file's sections, or a note on why there are none (`file not found`, `unreadable (EACCES)`). */
function readIni(file) {
  try {
    return { ini: parseIni(fs.readFileSync(file, 'utf8')) };
  } catch (e) {
    return { ini: Object.create(null), note: e.code === 'ENOENT' ? 'file not found' : `unreadable (${e.code || 'error'})` };
  }
}

/** The config file's section for a profile: `[profile x]`, or `[default]` for the default profile. */
function configSection(ini, name) {
  return ini[`profile ${name}`] ?? (name === 'default' ? ini.default : undefined);
}

/**
 * Both files, read once: `profile(name)` merges a profile's keys (credentials file over config),
 * `ssoSession(name)` is an `[sso-session name]` section, and `describe(name)` says where it was
 * looked for (for error messages; never a value).
 */
function loadSharedFiles(env = process.env, profile) {
  const loc = locations(env, profile);
  const creds = readIni(loc.credentialsFile);
  const config = readIni(loc.configFile);
  return {
    ...loc,
    profileData(name) {
      const a = configSection(config.ini, name);
      const b = creds.ini[name];
      if (!a && !b) return undefined;
      return Object.assign(Object.create(null), a, b);
    },
    ssoSession(name) {
      return config.ini[`sso-session ${name}`];
    },
    /** `[label, file, note?]` per file for a profile: note says why it had nothing. */
    describe(name) {
      return [
        ['shared credentials file', loc.credentialsFile, creds.note ?? (creds.ini[name] ? undefined : `no [${name}] section`)],
        ['shared config file', loc.configFile,
          config.note ?? (configSection(config.ini, name) ? undefined : `no [${name === 'default' ? 'default' : `profile ${name}`}] section`)],
      ];
    },
    /** The section of one file (region lookups read the config file first). */
    section(which, name) {
      return which === 'config' ? configSection(config.ini, name) : creds.ini[name];
    },
    note(which) {
      return which === 'config' ? config.note : creds.note;
    },
  };
}

module.exports = { parseIni, locations, loadSharedFiles, homeDir };
