/// `container` needs `docker` with an image; port mappings use valid port indexes and container ports.
enum ContainerRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        guard let container = draft.spec.container else { return }
        guard let docker = container.docker else {
            errors.add(container.location, "spec.container.docker", "required field missing")
            return
        }
        if docker.image?.value.isEmpty ?? true {
            errors.add(docker.image?.location ?? docker.location, "spec.container.docker.image", "required field missing")
        }
        let ports = draft.spec.resources.ports?.value ?? (draft.kind == .service ? 1 : 0)
        for (i, mapping) in (docker.portMappings?.value ?? []).enumerated() {
            let path = "spec.container.docker.portMappings[\(i)]"
            if mapping.value.hostPort < 0 || mapping.value.hostPort >= ports {
                errors.add(mapping.location, path + ".hostPort", "port index \(mapping.value.hostPort) is out of range: spec.resources.ports is \(ports)")
            }
            if !(1...65535).contains(mapping.value.containerPort) {
                errors.add(mapping.location, path + ".containerPort", "must be between 1 and 65535, got \(mapping.value.containerPort)")
            }
        }
    }
}
