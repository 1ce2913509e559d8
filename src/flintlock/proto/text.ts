// The .proto files beside this module, embedded as text: ncc bundles do not carry .proto files, so the
// loader writes these strings to a temporary directory. Keep them identical to types.proto and
// microvm.proto — __tests__/flintlock/proto.test.ts fails when they drift.

/** Path under the include root: flintlock/types/types.proto (as imported by microvm.proto). */
export const TYPES_PROTO_PATH = 'flintlock/types/types.proto';
export const MICROVM_PROTO_PATH = 'microvm/services/api/v1alpha1/microvm.proto';

export const TYPES_PROTO = `// flintlock.types — written for lm-env from the documented field numbers of flintlock's API
// (github.com/liquidmetal-dev/flintlock, api/types). Only the fields lm-env uses are declared;
// protobuf ignores unknown fields, so this stays wire-compatible with the real flintlockd.
//
// lm-env extensions (field numbers >= 100, set only by the lab stand-in; real clients ignore them):
//   NetworkInterfaceStatus.lmenv_ipv4_address = 100  leased (or static) IPv4 address, CIDR form
//   NetworkInterfaceStatus.lmenv_gateway      = 101  router handed out with the lease
//   NetworkInterfaceStatus.lmenv_nameservers  = 102  DNS servers handed out with the lease
//   MicroVMStatus.lmenv_netns_pid             = 100  pid holding the microVM's network namespace
//                                                    (nsenter --net=/proc/<pid>/ns/net ...)
//   MicroVMStatus.lmenv_message               = 101  why the microVM FAILED
syntax = "proto3";

package flintlock.types;

import "google/protobuf/timestamp.proto";

message MicroVM {
  int32 version = 1;
  MicroVMSpec spec = 2;
  MicroVMStatus status = 3;
}

message MicroVMSpec {
  string id = 1;
  string namespace = 2;
  map<string, string> labels = 3;
  int32 vcpu = 4;
  int32 memory_in_mb = 5;
  Kernel kernel = 6;
  optional Initrd initrd = 7;
  Volume root_volume = 8;
  repeated Volume additional_volumes = 9;
  repeated NetworkInterface interfaces = 10;
  map<string, string> metadata = 11;
  google.protobuf.Timestamp created_at = 12;
  google.protobuf.Timestamp updated_at = 13;
  google.protobuf.Timestamp deleted_at = 14;
  optional string uid = 15;
  optional string provider = 16;
}

message Kernel {
  string image = 1;
  map<string, string> cmdline = 2;
  optional string filename = 3;
  bool add_network_config = 4;
}

message Initrd {
  string image = 1;
  optional string filename = 2;
}

message NetworkInterface {
  enum IfaceType {
    MACVTAP = 0;
    TAP = 1;
  }
  string device_id = 1;
  IfaceType type = 2;
  optional string guest_mac = 4;
  optional StaticAddress address = 5;
  optional NetworkOverrides overrides = 6;
}

// Its fields are not declared here (lm-env does not set them); unknown fields pass through.
message NetworkOverrides {}

message StaticAddress {
  string address = 1;
  optional string gateway = 2;
  repeated string nameservers = 3;
}

message Volume {
  string id = 1;
  bool is_read_only = 2;
  optional string mount_point = 3;
  VolumeSource source = 4;
  optional string partition_id = 5;
  optional int32 size_in_mb = 6;
}

message VolumeSource {
  optional string container_source = 1;
  optional string virtiofs_source = 2;
}

message MicroVMStatus {
  enum MicroVMState {
    PENDING = 0;
    CREATED = 1;
    FAILED = 2;
    DELETING = 3;
  }
  MicroVMState state = 1;
  map<string, NetworkInterfaceStatus> network_interfaces = 5;
  int32 retry = 6;
  // lm-env extensions, see the header.
  int32 lmenv_netns_pid = 100;
  string lmenv_message = 101;
}

message NetworkInterfaceStatus {
  string host_device_name = 1;
  int32 index = 2;
  string mac_address = 3;
  // lm-env extensions, see the header.
  string lmenv_ipv4_address = 100;
  string lmenv_gateway = 101;
  repeated string lmenv_nameservers = 102;
}
`;

export const MICROVM_PROTO = `// microvm.services.api.v1alpha1 — flintlock's MicroVM service, written for lm-env from the
// documented request/response shapes (see types.proto for the message types).
syntax = "proto3";

package microvm.services.api.v1alpha1;

import "google/protobuf/any.proto";
import "google/protobuf/empty.proto";
import "flintlock/types/types.proto";

service MicroVM {
  rpc CreateMicroVM(CreateMicroVMRequest) returns (CreateMicroVMResponse);
  rpc DeleteMicroVM(DeleteMicroVMRequest) returns (google.protobuf.Empty);
  rpc GetMicroVM(GetMicroVMRequest) returns (GetMicroVMResponse);
  rpc ListMicroVMs(ListMicroVMsRequest) returns (ListMicroVMsResponse);
  rpc ListMicroVMsStream(ListMicroVMsRequest) returns (stream ListMessage);
}

message CreateMicroVMRequest {
  flintlock.types.MicroVMSpec microvm = 1;
  map<string, google.protobuf.Any> metadata = 2;
}

message CreateMicroVMResponse {
  flintlock.types.MicroVM microvm = 1;
}

message DeleteMicroVMRequest {
  string uid = 1;
}

message GetMicroVMRequest {
  string uid = 1;
}

message GetMicroVMResponse {
  flintlock.types.MicroVM microvm = 1;
}

message ListMicroVMsRequest {
  string namespace = 1;
  optional string name = 2;
}

message ListMicroVMsResponse {
  repeated flintlock.types.MicroVM microvm = 1;
}

message ListMessage {
  flintlock.types.MicroVM microvm = 1;
}
`;
