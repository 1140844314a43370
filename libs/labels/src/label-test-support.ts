// Test helpers shared by the label specs and the e2e suites: decoding a label PNG back to the text its QR
// code holds (jsqr + pngjs, dev dependencies), and a well-formedness check for the SVG/HTML we emit.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The text of the QR code in a PNG image; throws when none is found. */
export function decodeQrPng(png: Buffer): string {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  if (!code) throw new Error('no QR code found in the PNG');
  return code.data;
}

/** Throws unless every element of `xml` is closed in order (self-closing tags allowed, text escaped). */
export function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!DOCTYPE[^>]*>|[<>]/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[0] === '<' || m[0] === '>') throw new Error(`stray "${m[0]}" at ${m.index}: ${xml.slice(Math.max(0, m.index - 40), m.index + 40)}`);
    if (m[0].startsWith('<!DOCTYPE')) continue;
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at ${m.index}`);
    } else if (!['meta'].includes(name)) stack.push(name);
  }
  if (stack.length) throw new Error(`unclosed: ${stack.join(' > ')}`);
}
