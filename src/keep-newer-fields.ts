// cdk8s-plus-27's generated serializers (`toJson_KubeServiceProps` and friends) know the API of
// Kubernetes 1.27 and silently drop any field that came later, even from a JSON patch: patches
// apply before the serializer runs. The construct writes a few such fields (a Service's
// `trafficDistribution`, a container's `sleep` lifecycle action), so each of its objects carries
// them from the patched object into what is written. Per object, never on a prototype: importing
// the library changes no other object.
import { ApiObject } from 'cdk8s';
import { asArray, asObject, getIn } from './lint/json';

/** Fields the 1.27 serializers drop, copied from the patched object to the written one. */
type Carry = (patched: unknown, written: unknown) => void;

const WRAPPED = new WeakSet<ApiObject>();

/** The Service fields newer than 1.27: `spec.trafficDistribution` (KEP-3015). */
export function keepNewerServiceFields(service: ApiObject): void {
  keep(service, (patched, written) => {
    copyField(getIn(patched, 'spec'), getIn(written, 'spec'), 'trafficDistribution');
  });
}

/**
 * The pod template fields newer than 1.27: the `sleep` action of each container's and init
 * container's `preStop` and `postStart` hooks (KEP-3960).
 */
export function keepNewerPodTemplateFields(workload: ApiObject): void {
  keep(workload, (patched, written) => {
    const from = getIn(patched, 'spec', 'template', 'spec');
    const to = getIn(written, 'spec', 'template', 'spec');
    for (const list of ['containers', 'initContainers']) {
      // the serializer maps each list item to one item, in order
      const writtenContainers = asArray(getIn(to, list));
      asArray(getIn(from, list)).forEach((container, i) => {
        for (const hook of ['preStop', 'postStart']) {
          copyField(getIn(container, 'lifecycle', hook), getIn(writtenContainers[i], 'lifecycle', hook), 'sleep');
        }
      });
    }
  });
}

function keep(object: ApiObject, carry: Carry): void {
  if (WRAPPED.has(object)) {
    throw new Error(`newer fields are already kept for ${object.node.path}`);
  }
  WRAPPED.add(object);
  const serialize = object.toJson;
  object.toJson = function toJson(this: ApiObject) {
    const written = serialize.call(this);
    carry(ApiObject.prototype.toJson.call(this), written);
    return written;
  };
}

function copyField(from: unknown, to: unknown, field: string): void {
  const value = getIn(from, field);
  const target = asObject(to);
  if (value !== undefined && target !== undefined && getIn(target, field) === undefined) {
    target[field] = value;
  }
}
