// Types for the two GS1 parsing libraries, which ship none. Written from their sources
// (gs1-barcode-parser-mod 1.2.x src/BarcodeParser.js, digital-link.js 1.4.x src/index.js and src/util.js), covering
// only what libs/gs1/src/scan uses.

declare module 'gs1-barcode-parser-mod' {
  export interface ParsedElement {
    /** The application identifier, e.g. "01". */
    ai: string;
    dataTitle: string;
    /** The contents: a string, a number (measures) or a Date (dates, built in local time). */
    data: string | number | Date;
    unit: string;
    /** The untouched substring the contents were read from (for a date, its six digits). */
    raw: string;
    /** For a date element its date as text ("2025-06-30"); empty otherwise. */
    isoDate: string;
  }
  export interface ParsedBarcode {
    /** "GS1 DataMatrix", "GS1 QR Code", "GS1-128", "GS1 Element String (HRI)", … or "". */
    codeName: string;
    parsedCodeItems: ParsedElement[];
  }
  /** Throws a string (not an Error) saying what it could not read, e.g. "invalid AI after '2'". */
  export function parseBarcode(barcode: string): ParsedBarcode;
}

declare module 'digital-link.js' {
  export interface DigitalLinkOptions {
    /** Scheme and host, plus any path prefix: "https://id.example.com/some/prefix". */
    domain: string;
    /** The primary key, e.g. { "01": "09506000134352" }. */
    identifier: Record<string, string>;
    /** Path key qualifiers; values written as they go into the URI (percent-encoded). */
    keyQualifiers?: Record<string, string>;
    /** Query parameters; values written as they go into the URI (percent-encoded). */
    attributes?: Record<string, string>;
    /** Put the key qualifiers in the grammar's order. */
    sortKeyQualifiers?: boolean;
    linkType?: string;
  }
  export interface DigitalLinkInstance {
    toWebUriString(): string;
    /** The URI (any path prefix removed) against the GS1 Digital Link ABNF grammar, and the key's check digit. */
    isValid(): boolean;
  }
  /** From a URI string (compressed ones are expanded first) or from parts; throws an Error when it cannot. */
  export function DigitalLink(input?: string | DigitalLinkOptions): DigitalLinkInstance;
  export const Utils: {
    /** Whether `uri` is a compressed GS1 Digital Link that expands to a valid one. */
    isCompressedWebUri(uri: string): boolean;
    /** The expanded form of a compressed link (throws when it is none). */
    decompressWebUri(uri: string): string;
    compressWebUri(uri: string, useOptimisations?: boolean, compressOtherKeyValuePairs?: boolean): string;
  };
}
