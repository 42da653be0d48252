// cdk8s-plus-27's generated serializers (`toJson_KubeServiceProps` and friends) know the API of
// Kubernetes 1.27 and silently drop any field that came later, even from a JSON patch: patches
// apply before the serializer runs. The construct writes a few such fields (a Service's
// `trafficDistribution`, a container's `sleep` lifecycle action), so each of its objects carries
// them from the patched object into what is written. Per object, never on a prototype: importing
// the library changes no other object.
import { ApiObject, GroupVersionKind } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { asArray, asObject, getIn } from './lint/json';

/** Fields the 1.27 serializers drop, copied from the patched object to the written one. */
type Carry = (patched: unknown, written: unknown) => void;

/**
 * What the generated class's own toJson() does with the patched object (`KubeService.toJson`:
 * the GVK, then `toJson_KubeServiceProps`): run here on the object resolved once, so keeping the
 * fields costs no second resolution.
 */
type Serializer = (patched: any) => any;

const SERVICE: Serializer = (patched) => ({ ...k8s.KubeService.GVK, ...k8s.toJson_KubeServiceProps(patched) });
const DAEMON_SET: Serializer = (patched) => ({ ...k8s.KubeDaemonSet.GVK, ...k8s.toJson_KubeDaemonSetProps(patched) });

const WRAPPED = new WeakSet<ApiObject>();

/** The Service fields newer than 1.27: `spec.trafficDistribution` (KEP-3015). */
export function keepNewerServiceFields(service: ApiObject): void {
  keep(service, k8s.KubeService.GVK, SERVICE, (patched, written) => {
    copyField(getIn(patched, 'spec'), getIn(written, 'spec'), 'trafficDistribution');
  });
}

/**
 * The DaemonSet fields newer than 1.27: the `sleep` action of each container's and init
 * container's `preStop` and `postStart` hooks (KEP-3960).
 */
export function keepNewerDaemonSetFields(workload: ApiObject): void {
  keep(workload, k8s.KubeDaemonSet.GVK, DAEMON_SET, (patched, written) => {
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

function keep(object: ApiObject, gvk: GroupVersionKind, serialize: Serializer, carry: Carry): void {
  // the serializer is that of one kind: an object of another would be written wrongly
  if (object.apiVersion !== gvk.apiVersion || object.kind !== gvk.kind) {
    throw new Error(`${object.node.path} is not a ${gvk.kind}: its newer fields cannot be kept`);
  }
  if (WRAPPED.has(object)) {
    throw new Error(`newer fields are already kept for ${object.node.path}`);
  }
  WRAPPED.add(object);
  object.toJson = function toJson(this: ApiObject) {
    const patched = ApiObject.prototype.toJson.call(this);
    const written = serialize(patched);
    carry(patched, written);
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
