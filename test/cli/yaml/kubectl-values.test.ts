// What kubectl reads: every expected value below was recorded from kubectl 1.32
// (`kubectl label --local -f FILE -o json x=y` on an object of a kind it does not know, which
// reads the file as kubectl apply does, without a cluster). REFUSED: kubectl refuses the document.
import { InputError, parseManifests } from '../../../src/cli/manifests';

const REFUSED = Symbol('refused');

/** Reads `data:` of a Thing written with `body` (lines indented by two). */
function read(body: string): unknown {
  const text = `apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: s\ndata:\n${body}\n`;
  try {
    return parseManifests('t.yaml', text)[0].object.data;
  } catch (e) {
    if (e instanceof InputError) {
      return REFUSED;
    }
    throw e;
  }
}

/** A plain scalar as a value and as a key: `[scalar, value, key]`. */
const PLAIN: Array<[string, unknown, unknown]> = [
  ['1:30', '1:30', '1:30'],
  ['190:20:30', '190:20:30', '190:20:30'],
  ['-1:30', '-1:30', '-1:30'],
  ['+1:30', '+1:30', '+1:30'],
  ['1:30.5', '1:30.5', '1:30.5'],
  ['1:60', '1:60', '1:60'],
  ['1:2:3:4', '1:2:3:4', '1:2:3:4'],
  ['0755', 493, '493'],
  ['-0755', -493, '-493'],
  ['+0755', 493, '493'],
  ['0788', 788, '788'],
  ['00', 0, '0'],
  ['0', 0, '0'],
  ['-0', 0, '0'],
  ['+0', 0, '0'],
  ['0x1F', 31, '31'],
  ['-0x1F', -31, '-31'],
  ['+0x1F', 31, '31'],
  ['0X1F', 31, '31'],
  ['0x_1F', 31, '31'],
  ['0xFFFFFFFFFFFFFFFF', REFUSED, REFUSED],
  ['0b101', 5, '5'],
  ['-0b101', -5, '-5'],
  ['0b1_0', 2, '2'],
  ['0o17', 15, '15'],
  ['-0o17', -15, '-15'],
  ['1_000', 1000, '1000'],
  ['1__0', 10, '10'],
  ['_10', '_10', '_10'],
  ['10_', 10, '10'],
  ['9223372036854775807', 9223372036854776000, '9223372036854775807'],
  ['9223372036854775808', REFUSED, REFUSED],
  ['18446744073709551616', 18446744073709552000, '1.8446744e+19'],
  ['12345678901234567890123', 1.2345678901234568e+22, '1.2345679e+22'],
  ['1.5', 1.5, '1.5'],
  ['.5', 0.5, '0.5'],
  ['5.', 5, '5'],
  ['-.5', -0.5, '-0.5'],
  ['+.5', 0.5, '0.5'],
  ['1e3', 1000, '1000'],
  ['1E3', 1000, '1000'],
  ['1e+3', 1000, '1000'],
  ['1.5e-3', 0.0015, '0.0015'],
  ['1e400', '1e400', '1e400'],
  ['.e3', '.e3', '.e3'],
  ['1.2.3', '1.2.3', '1.2.3'],
  ['1_0.5', 10.5, '10.5'],
  ['0.1_5', 0.15, '0.15'],
  ['.inf', REFUSED, REFUSED],
  ['.Inf', REFUSED, REFUSED],
  ['-.inf', REFUSED, REFUSED],
  ['.nan', REFUSED, REFUSED],
  ['true', true, 'true'],
  ['True', true, 'true'],
  ['TRUE', true, 'true'],
  ['tRUE', 'tRUE', 'tRUE'],
  ['false', false, 'false'],
  ['yes', true, 'true'],
  ['Yes', true, 'true'],
  ['YES', true, 'true'],
  ['yEs', 'yEs', 'yEs'],
  ['y', true, 'true'],
  ['Y', true, 'true'],
  ['n', false, 'false'],
  ['N', false, 'false'],
  ['no', false, 'false'],
  ['No', false, 'false'],
  ['NO', false, 'false'],
  ['on', true, 'true'],
  ['On', true, 'true'],
  ['ON', true, 'true'],
  ['off', false, 'false'],
  ['Off', false, 'false'],
  ['OFF', false, 'false'],
  ['~', REFUSED, REFUSED],
  ['null', REFUSED, REFUSED],
  ['Null', REFUSED, REFUSED],
  ['NULL', REFUSED, REFUSED],
  ['nULL', 'nULL', 'nULL'],
  ['2001-12-14', '2001-12-14', '2001-12-14'],
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
  ['2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43.10 -5'],
  ['2002-12-14T21:59:43Z', '2002-12-14T21:59:43Z', '2002-12-14T21:59:43Z'],
  ['1-2-3', '1-2-3', '1-2-3'],
  ['0.', 0, '0'],
  ['-', REFUSED, REFUSED],
  ['+', '+', '+'],
  ['.', '.', '.'],
  ['0x', '0x', '0x'],
  ['0b', '0b', '0b'],
  ['0o', '0o', '0o'],
  ['12e', '12e', '12e'],
  ['1e', '1e', '1e'],
  ['=', '=', '='],
  ['<<', REFUSED, REFUSED],
];

describe('plain scalars, as values and as map keys', () => {
  test.each(PLAIN)('%s', (scalar, value, key) => {
    const data = read(`  v: ${scalar}\n  ${scalar}: k`);
    if (value === REFUSED) {
      expect(data).toBe(REFUSED);
    } else {
      expect(data).toEqual({ v: value, [key as string]: 'k' });
    }
  });

  test('port: 1:30 is the text "1:30", as kubectl reads it (the API server then rejects it)', () => {
    expect(read('  port: 1:30')).toEqual({ port: '1:30' });
  });
});

/** A tagged or quoted scalar as a value: `[scalar, value]`. */
const TAGGED: Array<[string, unknown]> = [
  ['!!str 5', '5'],
  ['!!str yes', 'yes'],
  ['!!int "5"', 5],
  ['!!int 0x1F', 31],
  ['!!int 1:30', REFUSED],
  ['!!int "abc"', REFUSED],
  ['!!float 1', 1],
  ['!!float "1.5"', 1.5],
  ['!!bool yes', true],
  ['!!bool "true"', true],
  ['!!null ""', null],
  ['!!null x', REFUSED],
  ['!!binary aGk=', 'hi'],
  ['!custom x', 'x'],
  ['!custom 5', '5'],
  ['! 5', '5'],
  ['!!timestamp 2001-12-14', '2001-12-14'],
  ['!!map {a: 1}', { a: 1 }],
  ['!!seq [1]', [1]],
  ['!!set {a, b}', { a: null, b: null }],
  ['!!omap [a: 1]', [{ a: 1 }]],
  ['"5"', '5'],
  ["'yes'", 'yes'],
  ['!<tag:yaml.org,2002:str> 5', '5'],
  ['!!merge x', 'x'],
  ['!!python/none x', 'x'],
  ['|\n    5', '5\n'],
];

describe('tags and quotes', () => {
  test.each(TAGGED)('%s', (scalar, value) => {
    const data = read(`  v: ${scalar.replace(/\n/g, '\n  ')}`);
    expect(data).toEqual(value === REFUSED ? REFUSED : { v: value });
  });
});
