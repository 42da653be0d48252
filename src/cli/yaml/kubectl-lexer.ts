// The yaml package's lexer, as lenient about indentation as kubectl's YAML (go-yaml v2, a port
// of libyaml). libyaml does not check the indentation of a quoted scalar's continuation lines,
// nor of anything inside a flow collection; YAML 1.2, and so the yaml package, wants them
// indented more than the parent block. Charts render such YAML (a multi-line single-quoted
// scalar whose continuation lines sit at the parent key's indentation) and kubectl applies it,
// so the linter must read it, with the same value: line folding strips the leading spaces of
// continuation lines, so their indentation never changes a value.
import { Composer, Document, Lexer, LineCounter, Parser } from 'yaml';

/**
 * The lexer's state and steps this file changes. They are not public in the yaml package's
 * types; `test/cli/yaml/kubectl-yaml.test.ts` fails if an update of the package changes them.
 */
interface LexerInternals {
  buffer: string;
  flowLevel: number;
  indentNext: number;
  continueScalar(offset: number): number;
  parseQuotedScalar(): Generator<string, string>;
  parseFlowCollection(): Generator<string, string>;
}

const base = Lexer.prototype as unknown as LexerInternals;

/** A lexer that reads quoted scalars and flow collections whatever their indentation. */
class KubectlLexer extends Lexer {}

/** `inQuotedScalar`: inside a quoted scalar, where libyaml checks no indentation. */
const lenient = KubectlLexer.prototype as unknown as LexerInternals & { inQuotedScalar: boolean };
lenient.inQuotedScalar = false;

lenient.continueScalar = function continueScalar(this: LexerInternals & { inQuotedScalar: boolean }, offset: number): number {
  if (this.flowLevel === 0 && !this.inQuotedScalar) {
    return base.continueScalar.call(this, offset);
  }
  // only a document marker at the start of a line ends the scalar, as in libyaml
  const marker = this.buffer.substr(offset, 3);
  if ((marker === '---' || marker === '...') && /^[ \t\r\n]?$/.test(this.buffer[offset + 3] ?? '')) {
    return -1;
  }
  return offset;
};

lenient.parseQuotedScalar = function* parseQuotedScalar(this: LexerInternals & { inQuotedScalar: boolean }) {
  // the base method asks continueScalar about each line break up to the closing quote, before it yields
  this.inQuotedScalar = true;
  try {
    return yield* base.parseQuotedScalar.call(this);
  } finally {
    this.inQuotedScalar = false;
  }
};

lenient.parseFlowCollection = function* parseFlowCollection(this: LexerInternals) {
  // the base method ends a flow collection at a line indented less than the block around it
  const indentNext = this.indentNext;
  this.indentNext = 0;
  try {
    return yield* base.parseFlowCollection.call(this);
  } finally {
    this.indentNext = indentNext;
  }
};

/**
 * The documents of a YAML stream, one at a time (so a large stream is not held as one tree),
 * read as YAML 1.1 with every scalar as text: `toJson` resolves them as kubectl does.
 *
 * @param lineCounter collects the offsets of the line starts, for positions
 */
export function* readDocuments(text: string, lineCounter?: LineCounter): Generator<Document.Parsed> {
  const lexer = new KubectlLexer();
  const parser = new Parser(lineCounter?.addNewLine);
  // failsafe: scalars stay text, tags are kept; duplicate keys are left to toJson (kubectl keeps the last)
  const composer = new Composer({ version: '1.1', schema: 'failsafe', uniqueKeys: false });
  function* tokens() {
    lineCounter?.addNewLine(0); // as Parser.parse does: the first line starts at 0
    for (const lexeme of lexer.lex(text)) {
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  yield* composer.compose(tokens(), false, text.length);
}
