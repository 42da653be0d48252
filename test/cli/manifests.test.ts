// Reading manifests with positions, and finding the line of a field from a JSON pointer.
import { lines } from './support';
import { fieldLine, InputError, parseManifests } from '../../src/cli/manifests';

const DAEMONSET = lines(
  'apiVersion: apps/v1', //                 1
  'kind: DaemonSet', //                     2
  'metadata:', //                           3
  '  name: agent', //                       4
  '  labels: &labels', //                   5
  '    app.kubernetes.io/name: agent', //   6
  'spec:', //                               7
  '  selector:', //                         8
  '    matchLabels: *labels', //            9
  '  template:', //                        10
  '    metadata:', //                      11
  '      labels:', //                      12
  '        <<: *labels', //                13
  '        tier: node', //                 14
  '    spec:', //                          15
  '      containers:', //                  16
  '        - name: main', //               17
  '          image: agent:1', //           18
  '        - name: "a/b~c"', //            19
  '          image: agent:1', //           20
);

describe('fieldLine', () => {
  const [ds] = parseManifests('ds.yaml', DAEMONSET);

  test.each([
    ['', 1],
    ['/kind', 2],
    ['/metadata/name', 4],
    ['/spec/template/spec/containers', 16],
    ['/spec/template/spec/containers/1', 19],
    ['/spec/template/spec/containers/1/image', 20],
    ['/spec/template/metadata/labels/tier', 14],
  ])('%s is on line %d', (pointer, line) => {
    expect(fieldLine(ds, pointer)).toBe(line);
  });

  test('follows an alias to the anchored map', () => {
    expect(fieldLine(ds, '/spec/selector/matchLabels/app.kubernetes.io~1name')).toBe(6);
  });

  test('follows a merge key (<<) to the merged map', () => {
    expect(fieldLine(ds, '/spec/template/metadata/labels/app.kubernetes.io~1name')).toBe(6);
  });

  test('a missing field gives the line of its closest written ancestor', () => {
    expect(fieldLine(ds, '/spec/updateStrategy/rollingUpdate/maxSurge')).toBe(7);
    expect(fieldLine(ds, '/spec/template/spec/containers/5/readinessProbe')).toBe(16);
    expect(fieldLine(ds, '/spec/template/spec/containers/x')).toBe(16);
    expect(fieldLine(ds, '/kind/deeper')).toBe(2);
  });
});

describe('parseManifests', () => {
  test('gives each object its file, line and column', () => {
    const found = parseManifests('a.yaml', lines(
      '# comment',
      '--- # marker comment',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: a}',
      '---',
      '  apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: b}',
    ));
    expect(found.map(m => [m.file, m.object.metadata.name, m.line, m.column])).toEqual([['a.yaml', 'a', 3, 1], ['a.yaml', 'b', 7, 3]]);
  });

  test('reads a file that starts with a byte order mark', () => {
    const found = parseManifests('bom.yaml', '\ufeffapiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    expect(found.map(m => [m.object.apiVersion, m.line])).toEqual([['v1', 1]]);
  });

  test('an empty file, and a file of comments, hold no objects', () => {
    expect(parseManifests('a.yaml', '')).toEqual([]);
    expect(parseManifests('a.yaml', '# nothing\n---\n# still nothing\n')).toEqual([]);
  });

  test('an explicit null document is empty', () => {
    expect(parseManifests('a.yaml', '---\n~\n---\nnull\n')).toEqual([]);
  });

  test('fails with an InputError, never another error, on bad input', () => {
    for (const text of ['a: [', '"x"', '[1, 2]', 'a: *b', 'kind: List\nitems: 3', 'foo: bar']) {
      expect(() => parseManifests('x.yaml', text)).toThrow(InputError);
    }
  });

  test('a map with only kind, or only apiVersion, is left to the engine (NL000 names what is missing)', () => {
    expect(parseManifests('a.yaml', 'kind: Service\n').map(m => m.object)).toEqual([{ kind: 'Service' }]);
    expect(parseManifests('a.yaml', 'apiVersion: v1\n').map(m => m.object)).toEqual([{ apiVersion: 'v1' }]);
  });
});
