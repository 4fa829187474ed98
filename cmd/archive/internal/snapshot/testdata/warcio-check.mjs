// Parses every record of a WARC with warcio.js (an independent reader) and
// prints one JSON line per record: where it is, what it is, and whether its
// digests hold, recomputed here with node's own SHA-256. The Go test
// compares these lines with the WARC it wrote and with index.cdxj.
//
// usage: node warcio-check.mjs FILE.warc.gz
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { WARCParser, getSurt } from "warcio";

const parser = new WARCParser(createReadStream(process.argv[2]));
const sha256 = (b) => "sha256:" + createHash("sha256").update(b).digest("hex");
const records = [];
for await (const record of parser) {
  const http = record.httpHeaders;
  // For a response this is the payload (the body after the HTTP headers,
  // undecoded); for other records it is the whole block.
  const bytes = await record.readFully(false);
  const rec = {
    type: record.warcType,
    uri: record.warcTargetURI || "",
    surt: record.warcTargetURI ? getSurt(record.warcTargetURI) : "",
    id: record.warcHeader("WARC-Record-ID"),
    refersTo: record.warcHeader("WARC-Refers-To") || "",
    status: http ? http.statusCode : 0,
    length: record.warcContentLength,
  };
  if (http) {
    rec.payloadOK = sha256(bytes) === record.warcPayloadDigest;
  } else {
    rec.blockOK = sha256(bytes) === record.warcBlockDigest;
  }
  records.push(rec);
}
for (const r of records) console.log(JSON.stringify(r));
