// flintlock's API messages as @grpc/proto-loader presents them with LOADER_OPTIONS (proto/load.ts):
// camelCase names, enums as strings, int64 as strings. Fields named lmenv* are lm-env extensions
// (field numbers >= 100, see proto/types.proto) that only the lab stand-in fills in.

export type MicroVMState = 'PENDING' | 'CREATED' | 'FAILED' | 'DELETING';
export type IfaceType = 'MACVTAP' | 'TAP';

export interface Timestamp {
  seconds: string;
  nanos: number;
}

export interface StaticAddress {
  /** CIDR, e.g. 192.168.1.30/25. */
  address: string;
  gateway?: string;
  nameservers?: string[];
}

export interface NetworkInterface {
  /** Name of the interface in the guest, e.g. eth1. */
  deviceId: string;
  type?: IfaceType;
  guestMac?: string;
  address?: StaticAddress | null;
}

export interface Kernel {
  image: string;
  cmdline?: Record<string, string>;
  filename?: string;
  addNetworkConfig?: boolean;
}

export interface VolumeSource {
  containerSource?: string;
  virtiofsSource?: string;
}

export interface Volume {
  id: string;
  isReadOnly?: boolean;
  mountPoint?: string;
  source?: VolumeSource | null;
  partitionId?: string;
  sizeInMb?: number;
}

export interface MicroVMSpec {
  id: string;
  namespace: string;
  labels: Record<string, string>;
  vcpu: number;
  memoryInMb: number;
  kernel?: Kernel | null;
  rootVolume?: Volume | null;
  additionalVolumes: Volume[];
  interfaces: NetworkInterface[];
  metadata: Record<string, string>;
  createdAt?: Timestamp | null;
  updatedAt?: Timestamp | null;
  deletedAt?: Timestamp | null;
  uid?: string;
  provider?: string;
}

/** What a caller passes to CreateMicroVM: everything optional, the server fills in defaults. */
export type MicroVMSpecInput = Partial<Omit<MicroVMSpec, 'interfaces'>> & { interfaces?: NetworkInterface[] };

export interface NetworkInterfaceStatus {
  hostDeviceName: string;
  index: number;
  macAddress: string;
  /** lm-env extension (100): leased or static IPv4 address in CIDR form, '' until known. */
  lmenvIpv4Address: string;
  /** lm-env extension (101): router from the lease. */
  lmenvGateway: string;
  /** lm-env extension (102): DNS servers from the lease. */
  lmenvNameservers: string[];
}

export interface MicroVMStatus {
  state: MicroVMState;
  networkInterfaces: Record<string, NetworkInterfaceStatus>;
  retry: number;
  /** lm-env extension (100): pid holding the microVM's network namespace; 0 when there is none. */
  lmenvNetnsPid: number;
  /** lm-env extension (101): why the microVM FAILED. */
  lmenvMessage: string;
}

export interface MicroVM {
  version: number;
  spec: MicroVMSpec;
  status: MicroVMStatus;
}
