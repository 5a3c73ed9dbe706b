// Keeping the model: in the URL's hash, compressed (deflate, then base64url), so that a link
// reproduces it; and in local storage, so that a reload loses nothing.

const HASH_KEY = "model=";
const STORAGE_KEY = "medtm.playground.model";

async function pipe(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The model text as the hash of a link. */
export async function encodeModel(text) {
  const packed = await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
  return HASH_KEY + toBase64Url(packed);
}

/** The model text in a hash made by `encodeModel`, or null when the hash holds none (or is damaged). */
export async function decodeModel(hash) {
  const value = hash.replace(/^#/, "");
  if (!value.startsWith(HASH_KEY)) return null;
  try {
    const bytes = await pipe(fromBase64Url(value.slice(HASH_KEY.length)), new DecompressionStream("deflate-raw"));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Writes the model into the address bar without adding a history entry. */
export async function saveToUrl(text) {
  const hash = await encodeModel(text);
  history.replaceState(null, "", `${location.pathname}${location.search}#${hash}`);
}

export function saveToStorage(text, example) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ text, example }));
  } catch {
    // Storage full or disabled: the URL still holds the model.
  }
}

/** `{ text, example }` from local storage, or null. */
export function loadFromStorage() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    return typeof saved?.text === "string" ? saved : null;
  } catch {
    return null;
  }
}
