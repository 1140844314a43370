/**
 * GS1 Digital Link normaliser of the EPCIS event hash (CBV 2.0 §8.9): turns an EPC URI, EPC class URI, EPC ID
 * pattern URI or GS1 Digital Link URI into the constrained canonical GS1 Digital Link URI
 * (`https://id.gs1.org/<AI>/<key>[/<AI>/<qualifier>]`, lowest identification level, no CPV, no query string).
 * Faithful port of `dl_normaliser.py` of github.com/RalphTro/epcis-event-hash-generator (MIT, commit 5d2f1c3),
 * including its regular expressions and quirks; returns `null` when the value is not a normalisable GS1 identifier.
 * Framework-free: runs in Node and in a browser.
 */

/** Python `re.match` semantics: anchored at the start only (sticky), not at the end. */
function py(source: string): RegExp {
  return new RegExp(source, 'y');
}

function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}

/** GS1 Digital Link Table 7-1 percent-encoding of the characters an EPC URI may carry. */
function percentEncode(input: string): string {
  return input
    .replaceAll('!', '%21')
    .replaceAll('(', '%28')
    .replaceAll(')', '%29')
    .replaceAll('*', '%2A')
    .replaceAll('+', '%2B')
    .replaceAll(',', '%2C')
    .replaceAll(':', '%3A');
}

/** GS1 General Specifications §7.9.1 standard check digit of a key given without its check digit. */
function checkDigit(keyWithoutCheckDigit: string): number {
  const reversed = [...keyWithoutCheckDigit].reverse();
  let sum = 0;
  for (let i = reversed.length - 1; i >= 0; i--) {
    const digit = Number(reversed[i]);
    if (digit === 0) continue;
    sum += i % 2 !== 0 ? digit : digit * 3;
  }
  return Math.ceil(sum / 10) * 10 - sum;
}

function gtinFrom(uri: string, partition: number, prefixStart: number): string {
  const companyPrefix = uri.slice(prefixStart, partition);
  const itemRef = uri.slice(partition + 1, partition + 1 + (13 - companyPrefix.length));
  const raw = itemRef.slice(0, 1) + companyPrefix + itemRef.slice(1);
  return raw + String(checkDigit(raw));
}

function withCheckDigit(raw: string): string {
  return raw + String(checkDigit(raw));
}

const SGTIN = py(String.raw`^urn:epc:id:sgtin:((\d{6}\.\d{7})|(\d{7}\.\d{6})|(\d{8}\.\d{5})|(\d{9}\.\d{4})|(\d{10}\.\d{3})|(\d{11}\.\d{2})|(\d{12}\.\d{1}))\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,20}$`);
const SSCC = py(String.raw`^urn:epc:id:sscc:((\d{6}\.\d{11}$)|(\d{7}\.\d{10}$)|(\d{8}\.\d{9}$)|(\d{9}\.\d{8}$)|(\d{10}\.\d{7}$)|(\d{11}\.\d{6}$)|(\d{12}\.\d{5}$))`);
const SGLN = py(String.raw`^urn:epc:id:sgln:((\d{6}\.\d{6})|(\d{7}\.\d{5})|(\d{8}\.\d{4})|(\d{9}\.\d{3})|(\d{10}\.\d{2})|(\d{11}\.\d{1})|(\d{12}\.))\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,20}$`);
const GRAI = py(String.raw`^urn:epc:id:grai:(([\d]{6}\.[\d]{6})|([\d]{7}\.[\d]{5})|([\d]{8}\.[\d]{4})|([\d]{9}\.[\d]{3})|([\d]{10}\.[\d]{2})|([\d]{11}\.[\d]{1})|([\d]{12}\.\.))\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,16}$`);
const GIAI = py(String.raw`^urn:epc:id:giai:(([\d]{6}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,24})|([\d]{7}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,23})|([\d]{8}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,22})|([\d]{9}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,21})|([\d]{10}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,20})|([\d]{11}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,19})|([\d]{12}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,18}))$`);
const GSRN = py(String.raw`^urn:epc:id:gsrn:(([\d]{6}\.[\d]{11}$)|([\d]{7}\.[\d]{10}$)|([\d]{8}\.[\d]{9}$)|([\d]{9}\.[\d]{8}$)|([\d]{10}\.[\d]{7}$)|([\d]{11}\.[\d]{6}$)|([\d]{12}\.[\d]{5}$))`);
const GSRNP = py(String.raw`^urn:epc:id:gsrnp:(([\d]{6}\.[\d]{11}$)|([\d]{7}\.[\d]{10}$)|([\d]{8}\.[\d]{9}$)|([\d]{9}\.[\d]{8}$)|([\d]{10}\.[\d]{7}$)|([\d]{11}\.[\d]{6}$)|([\d]{12}\.[\d]{5}$))`);
const GDTI = py(String.raw`^urn:epc:id:gdti:(([\d]{6}\.[\d]{6})|([\d]{7}\.[\d]{5})|([\d]{8}\.[\d]{4})|([\d]{9}\.[\d]{3})|([\d]{10}\.[\d]{2})|([\d]{11}\.[\d]{1})|([\d]{12}\.\.))(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,20}$`);
const CPI = py(String.raw`^urn:epc:id:cpi:((\d{6}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,24})|(\d{7}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,23})|(\d{8}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,22})|(\d{9}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,21})|(\d{10}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,20})|(\d{11}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,19})|(\d{12}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,18}))\.[\d]{1,12}$`);
const SGCN = py(String.raw`^urn:epc:id:sgcn:(([\d]{6}\.[\d]{6})|([\d]{7}\.[\d]{5})|([\d]{8}\.[\d]{4})|([\d]{9}\.[\d]{3})|([\d]{10}\.[\d]{2})|([\d]{11}\.[\d]{1})|([\d]{12}\.))\.[\d]{1,12}$`);
const GINC = py(String.raw`^urn:epc:id:ginc:([\d]{6}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,24}|[\d]{7}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,23}|[\d]{8}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,22}|[\d]{9}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,21}|[\d]{10}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,20}|[\d]{11}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,19}|[\d]{12}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,18})$`);
const GSIN = py(String.raw`^urn:epc:id:gsin:(([\d]{6}\.[\d]{10}$)|([\d]{7}\.[\d]{9}$)|([\d]{8}\.[\d]{8}$)|([\d]{9}\.[\d]{7}$)|([\d]{10}\.[\d]{6}$)|([\d]{11}\.[\d]{5}$)|([\d]{12}\.[\d]{4}$))`);
const ITIP = py(String.raw`^urn:epc:id:itip:(([\d]{6}\.[\d]{7})|([\d]{7}\.[\d]{6})|([\d]{8}\.[\d]{5})|([\d]{9}\.[\d]{4})|([\d]{10}\.[\d]{3})|([\d]{11}\.[\d]{2})|([\d]{12}\.[\d]{1}))\.[\d]{2}\.[\d]{2}\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,20}$`);
const UPUI = py(String.raw`^urn:epc:id:upui:((\d{6}\.\d{7})|(\d{7}\.\d{6})|(\d{8}\.\d{5})|(\d{9}\.\d{4})|(\d{10}\.\d{3})|(\d{11}\.\d{2})|(\d{12}\.\d{1}))\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,28}$`);
const PGLN = py(String.raw`^urn:epc:id:pgln:(([\d]{6}\.[\d]{6})|([\d]{7}\.[\d]{5})|([\d]{8}\.[\d]{4})|([\d]{9}\.[\d]{3})|([\d]{10}\.[\d]{2})|([\d]{11}\.[\d]{1})|([\d]{12}\.))$`);
const LGTIN_CLASS = py(String.raw`^urn:epc:class:lgtin:(([\d]{6}\.[\d]{7})|([\d]{7}\.[\d]{6})|([\d]{8}\.[\d]{5})|([\d]{9}\.[\d]{4})|([\d]{10}\.[\d]{3})|([\d]{11}\.[\d]{2})|([\d]{12}\.[\d]{1}))\.(\%2[125-9A-Fa-f]|\%3[0-9A-Fa-f]|\%4[1-9A-Fa-f]|\%5[0-9AaFf]|\%6[1-9A-Fa-f]|\%7[0-9Aa]|[!\')(*+,.0-9:;=A-Za-z_-]){1,20}$`);
const SGTIN_PAT = py(String.raw`^urn:epc:idpat:sgtin:((\d{6}\.\d{7})|(\d{7}\.\d{6})|(\d{8}\.\d{5})|(\d{9}\.\d{4})|(\d{10}\.\d{3})|(\d{11}\.\d{2})|(\d{12}\.\d{1}))\.\*$`);
const GRAI_PAT = py(String.raw`^urn:epc:idpat:grai:(([\d]{6}\.[\d]{6})|([\d]{7}\.[\d]{5})|([\d]{8}\.[\d]{4})|([\d]{9}\.[\d]{3})|([\d]{10}\.[\d]{2})|([\d]{11}\.[\d]{1})|([\d]{12}\.\.))\.\*$`);
const GDTI_PAT = py(String.raw`^urn:epc:idpat:gdti:(([\d]{6}\.[\d]{6})|([\d]{7}\.[\d]{5})|([\d]{8}\.[\d]{4})|([\d]{9}\.[\d]{3})|([\d]{10}\.[\d]{2})|([\d]{11}\.[\d]{1})|([\d]{12}\.\.))\.\*$`);
const SGCN_PAT = py(String.raw`^urn:epc:idpat:sgcn:(([\d]{6}\.[\d]{6})|([\d]{7}\.[\d]{5})|([\d]{8}\.[\d]{4})|([\d]{9}\.[\d]{3})|([\d]{10}\.[\d]{2})|([\d]{11}\.[\d]{1})|([\d]{12}\.\.))\.\*$`);
const CPI_PAT = py(String.raw`^urn:epc:idpat:cpi:((\d{6}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,24})|(\d{7}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,23})|(\d{8}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,22})|(\d{9}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,21})|(\d{10}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,20})|(\d{11}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,19})|(\d{12}\.(\%2[3dfDF]|\%3[0-9]|\%4[1-9A-Fa-f]|\%5[0-9Aa]|[0-9A-Z-]){1,18}))\.\*$`);
const ITIP_PAT = py(String.raw`^urn:epc:idpat:itip:(([\d]{6}\.[\d]{7})|([\d]{7}\.[\d]{6})|([\d]{8}\.[\d]{5})|([\d]{9}\.[\d]{4})|([\d]{10}\.[\d]{3})|([\d]{11}\.[\d]{2})|([\d]{12}\.[\d]{1}))\.[\d]{2}\.[\d]{2}\.\*$`);
const UPUI_PAT = py(String.raw`^urn:epc:idpat:upui:((\d{6}\.\d{7})|(\d{7}\.\d{6})|(\d{8}\.\d{5})|(\d{9}\.\d{4})|(\d{10}\.\d{3})|(\d{11}\.\d{2})|(\d{12}\.\d{1}))\.\*$`);
const DL_URI = py(String.raw`^https?:(\/\/((([^\/?#]*)@)?([^\/?#:]*)(:([^\/?#]*))?))?((([^?#]*)(\/(01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai)\/)(\d{4}[^\/]+)(\/[^/]+\/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?)|(\/[A-Za-z_-]{10}$))`);
const DL_CANONICAL = py(String.raw`^https:\/\/id.gs1.org\/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\/(\d{4}[^\/]+)(\/[^\/]+\/[^\/]+)?[\/]?(\?([^?\n]*))?(#([^\n]*))?|(\/[A-Za-z_-]{10}$)`);
const GTIN14 = py(String.raw`^https:\/\/id.gs1.org\/01\/\d{14}`);
const GTIN13 = py(String.raw`^https:\/\/id.gs1.org\/01\/\d{13}`);
const GTIN12 = py(String.raw`^https:\/\/id.gs1.org\/01\/\d{12}`);
const GTIN8 = py(String.raw`^https:\/\/id.gs1.org\/01\/\d{8}`);
const CPV_8006 = py(String.raw`https:\/\/id.gs1.org\/8006\/\d{18}\/22\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`);
const CPV_01 = py(String.raw`https:\/\/id.gs1.org\/01\/\d{14}\/22\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`);
const CPV_8006_MORE = py(String.raw`https:\/\/id.gs1.org\/8006\/\d{18}\/22\/([\x2F\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`);
const CPV_01_MORE = py(String.raw`https:\/\/id.gs1.org\/01\/\d{14}\/22\/([\x2F\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`);
const LOT_SER_8006 = py(String.raw`https:\/\/id.gs1.org\/8006\/\d{18}\/10\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})\/21\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`);
const LOT_SER_01 = py(String.raw`https:\/\/id.gs1.org\/01\/(\d{14})\/10\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})\/21\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`);
/** Output syntax check: the canonical, constrained GS1 Digital Link URI forms. */
const VALID_OUTPUT: readonly RegExp[] = [
  py(String.raw`https:\/\/id.gs1.org\/00\/(\d{18})$`),
  py(String.raw`https:\/\/id.gs1.org\/01\/(\d{14})\/21\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`),
  py(String.raw`https:\/\/id.gs1.org\/01\/(\d{14})\/10\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`),
  py(String.raw`https:\/\/id.gs1.org\/01\/(\d{14})$`),
  py(String.raw`https:\/\/id.gs1.org\/01\/(\d{14})\/235\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,28})$`),
  py(String.raw`https:\/\/id.gs1.org\/253\/(\d{13})([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,17})$`),
  py(String.raw`https:\/\/id.gs1.org\/255\/(\d{13})(\d{0,12})$`),
  py(String.raw`https:\/\/id.gs1.org\/401\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,30})$`),
  py(String.raw`https:\/\/id.gs1.org\/402\/(\d{17})$`),
  py(String.raw`https:\/\/id.gs1.org\/414\/(\d{13})$`),
  py(String.raw`https:\/\/id.gs1.org\/414\/(\d{13})\/254\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`),
  py(String.raw`https:\/\/id.gs1.org\/417\/(\d{13})$`),
  py(String.raw`https:\/\/id.gs1.org\/8003\/(\d{14})([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,16})$`),
  py(String.raw`https:\/\/id.gs1.org\/8004\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,30})$`),
  py(String.raw`https:\/\/id.gs1.org\/8006\/(\d{18})\/21\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`),
  py(String.raw`https:\/\/id.gs1.org\/8006\/(\d{18})\/10\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$`),
  py(String.raw`https:\/\/id.gs1.org\/8006\/(\d{18})$`),
  py(String.raw`https:\/\/id.gs1.org\/8010\/([\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30})\/8011/(\d{0,12})$`),
  py(String.raw`https:\/\/id.gs1.org\/8010\/([\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30})$`),
  py(String.raw`https:\/\/id.gs1.org\/8017\/(\d{18})$`),
  py(String.raw`https:\/\/id.gs1.org\/8018\/(\d{18})$`),
];

const SHORT_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['/gtin/', '/01/'], ['/itip/', '/8006/'], ['/cpid/', '/8010/'], ['/gln/', '/414/'], ['/party/', '/417/'],
  ['/gsrnp/', '/8017/'], ['/gsrn/', '/8018/'], ['/gcn/', '/255/'], ['/sscc/', '/00/'], ['/gdti/', '/253/'],
  ['/ginc/', '/401/'], ['/gsin/', '/402/'], ['/grai/', '/8003/'], ['/giai/', '/8004/'], ['/cpv/', '/22/'],
  ['/lot/', '/10/'], ['/ser/', '/21/'],
];
const KEY_AIS = ['00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8017', '8018'];

/** EPC URI / EPC class / EPC pattern → canonical DL URI, or undefined when `uri` is none of them. */
function normaliseEpcUri(uri: string, partition: number): string | undefined {
  if (matches(SGTIN, uri)) return `https://id.gs1.org/01/${gtinFrom(uri, partition, 17)}/21/${percentEncode(uri.slice(32))}`;
  if (matches(SSCC, uri)) {
    const raw = uri.slice(partition + 1, partition + 2) + uri.slice(16, partition) + uri.slice(partition + 2);
    return `https://id.gs1.org/00/${withCheckDigit(raw)}`;
  }
  if (matches(SGLN, uri)) {
    const prefix = uri.slice(16, partition);
    const gln = withCheckDigit(prefix + uri.slice(partition + 1, partition + 1 + (12 - prefix.length)));
    const extension = uri.slice(30);
    return extension === '0' ? `https://id.gs1.org/414/${gln}` : `https://id.gs1.org/414/${gln}/254/${percentEncode(extension)}`;
  }
  if (matches(GRAI, uri)) {
    const prefix = uri.slice(16, partition);
    const raw = '0' + prefix + uri.slice(partition + 1, partition + 1 + (12 - prefix.length));
    return `https://id.gs1.org/8003/${withCheckDigit(raw)}${percentEncode(uri.slice(30))}`;
  }
  if (matches(GIAI, uri)) return `https://id.gs1.org/8004/${uri.slice(16, partition)}${percentEncode(uri.slice(partition + 1))}`;
  if (matches(GSRN, uri)) return `https://id.gs1.org/8018/${withCheckDigit(uri.slice(16, partition) + uri.slice(partition + 1))}`;
  if (matches(GSRNP, uri)) return `https://id.gs1.org/8017/${withCheckDigit(uri.slice(17, partition) + uri.slice(partition + 1))}`;
  if (matches(GDTI, uri)) {
    const prefix = uri.slice(16, partition);
    const raw = prefix + uri.slice(partition + 1, partition + 1 + (12 - prefix.length));
    return `https://id.gs1.org/253/${withCheckDigit(raw)}${percentEncode(uri.slice(30))}`;
  }
  if (matches(CPI, uri)) {
    const separator = uri.lastIndexOf('.');
    const raw = uri.slice(15, partition) + uri.slice(partition + 1, separator);
    return `https://id.gs1.org/8010/${percentEncode(raw)}/8011/${uri.slice(separator + 1)}`;
  }
  if (matches(SGCN, uri)) {
    const prefix = uri.slice(16, partition);
    const raw = prefix + uri.slice(partition + 1, partition + 1 + (12 - prefix.length));
    return `https://id.gs1.org/255/${withCheckDigit(raw)}${uri.slice(30)}`;
  }
  if (matches(GINC, uri)) return `https://id.gs1.org/401/${uri.slice(16, partition)}${percentEncode(uri.slice(partition + 1))}`;
  if (matches(GSIN, uri)) return `https://id.gs1.org/402/${withCheckDigit(uri.slice(16, partition) + uri.slice(partition + 1))}`;
  if (matches(ITIP, uri)) {
    const gtin = gtinFrom(uri, partition, 16);
    return `https://id.gs1.org/8006/${gtin}${uri.slice(31, 33)}${uri.slice(34, 36)}/21/${percentEncode(uri.slice(37))}`;
  }
  if (matches(UPUI, uri)) return `https://id.gs1.org/01/${gtinFrom(uri, partition, 16)}/235/${percentEncode(uri.slice(31))}`;
  if (matches(PGLN, uri)) {
    const prefix = uri.slice(16, partition);
    return `https://id.gs1.org/417/${withCheckDigit(prefix + uri.slice(partition + 1, partition + 1 + (12 - prefix.length)))}`;
  }
  if (matches(LGTIN_CLASS, uri)) return `https://id.gs1.org/01/${gtinFrom(uri, partition, 20)}/10/${percentEncode(uri.slice(35))}`;
  if (matches(SGTIN_PAT, uri)) return `https://id.gs1.org/01/${gtinFrom(uri, partition, 20)}`;
  if (matches(GRAI_PAT, uri)) {
    const prefix = uri.slice(19, partition);
    return `https://id.gs1.org/8003/${withCheckDigit('0' + prefix + uri.slice(partition + 1, partition + 1 + (12 - prefix.length)))}`;
  }
  if (matches(GDTI_PAT, uri)) {
    const prefix = uri.slice(19, partition);
    return `https://id.gs1.org/253/${withCheckDigit(prefix + uri.slice(partition + 1, partition + 1 + (12 - prefix.length)))}`;
  }
  if (matches(SGCN_PAT, uri)) {
    const prefix = uri.slice(19, partition);
    return `https://id.gs1.org/255/${withCheckDigit(prefix + uri.slice(partition + 1, partition + 1 + (12 - prefix.length)))}`;
  }
  if (matches(CPI_PAT, uri)) {
    const raw = uri.slice(18, partition) + uri.slice(partition + 1, uri.lastIndexOf('.'));
    return `https://id.gs1.org/8010/${percentEncode(raw)}`;
  }
  if (matches(ITIP_PAT, uri)) return `https://id.gs1.org/8006/${gtinFrom(uri, partition, 19)}${uri.slice(34, 36)}${uri.slice(37, 39)}`;
  if (matches(UPUI_PAT, uri)) return `https://id.gs1.org/01/${gtinFrom(uri, partition, 19)}`;
  return undefined;
}

/** Python `s[s.find(x) + k:]` where `find` may return -1. */
function afterFind(s: string, needle: string, skip: number): string {
  const index = s.indexOf(needle);
  return s.slice(index + skip < 0 ? Math.max(0, s.length + index + skip) : index + skip);
}

/** Python `s[:s.find(x)]` where `find` may return -1 (then drops the last character). */
function beforeFind(s: string, needle: string): string {
  return s.slice(0, s.indexOf(needle));
}

/**
 * Canonical GS1 Digital Link URI of `uri` (any EPC URI / class / pattern, or a DL URI on any domain, with short
 * names, CPV, lot+serial or a query string), or `null` when `uri` carries no GS1 key this normaliser knows.
 */
export function normaliseGs1Identifier(uri: string): string | null {
  const partition = uri.indexOf('.');
  if (partition < 0) return null;
  const epc = normaliseEpcUri(uri, partition);
  if (epc !== undefined) return epc;

  if (!matches(DL_URI, uri)) return null;
  let dl = uri.includes('?') ? uri.slice(0, uri.indexOf('?')) : uri;
  for (const [short, ai] of SHORT_NAMES) dl = dl.replaceAll(short, ai);
  if (!matches(DL_CANONICAL, dl)) {
    const ai = KEY_AIS.find((candidate) => dl.includes(`/${candidate}/`));
    if (ai !== undefined) dl = 'https://id.gs1.org' + dl.slice(dl.indexOf(`/${ai}/`));
  }
  if (!matches(GTIN14, dl)) {
    if (matches(GTIN13, dl)) dl = dl.replaceAll('/01/', '/01/0');
    else if (matches(GTIN12, dl)) dl = dl.replaceAll('/01/', '/01/00');
    else if (matches(GTIN8, dl)) dl = dl.replaceAll('/01/', '/01/000000');
  }
  const x = afterFind(dl, '/22/', 4);
  if (matches(CPV_8006, dl) || matches(CPV_01, dl)) {
    dl = beforeFind(dl, '/22/') + x.slice(x.indexOf('/') < 0 ? x.length - 1 : x.indexOf('/'), -1);
  }
  if (matches(CPV_8006_MORE, dl) || matches(CPV_01_MORE, dl)) {
    dl = beforeFind(dl, '/22/') + x.slice(x.indexOf('/') < 0 ? x.length - 1 : x.indexOf('/'));
  }
  if (matches(LOT_SER_8006, dl) || matches(LOT_SER_01, dl)) {
    const y = afterFind(dl, '/10/', 4);
    dl = beforeFind(dl, '/10/') + y.slice(y.indexOf('/') < 0 ? y.length - 1 : y.indexOf('/'));
  }
  return VALID_OUTPUT.some((re) => matches(re, dl)) ? dl : null;
}
