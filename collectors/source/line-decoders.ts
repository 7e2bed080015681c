// One line's string from its bytes in a buffer, as the line reader and the ingest thread decode.

/**
 * Buffer's own one-line decoders (undocumented but present since Node 0.x, used by
 * `toString` itself): they skip toString's argument checks, a measurable cost per line.
 */
interface SliceDecoders {
  latin1Slice?: (start: number, end: number) => string;
  utf8Slice?: (start: number, end: number) => string;
}
const proto = Buffer.prototype as unknown as SliceDecoders;
export const latin1Line: (buf: Buffer, start: number, end: number) => string = proto.latin1Slice
  ? (buf, start, end) => (buf as unknown as Required<SliceDecoders>).latin1Slice(start, end)
  : (buf, start, end) => buf.toString('latin1', start, end);
export const utf8Line: (buf: Buffer, start: number, end: number) => string = proto.utf8Slice
  ? (buf, start, end) => (buf as unknown as Required<SliceDecoders>).utf8Slice(start, end)
  : (buf, start, end) => buf.toString('utf8', start, end);
