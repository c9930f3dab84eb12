/// `agentPlacement` (or the deprecated `slavePlacement`), `rackSensitive` and the agent attribute
/// constraints to `placement`.
enum PlacementMapping {
    /// Converge's spread for a Singularity placement, with a note when the meaning shifts.
    static func spread(_ placement: String) -> (spread: String?, note: String?) {
        switch placement.uppercased() {
        case "GREEDY":
            return ("greedy", nil)
        case "OPTIMISTIC":
            return ("greedy", "OPTIMISTIC (spread when offers allow, else pack) mapped to greedy; use separateHosts if instances must not share an agent")
        case "SEPARATE", "SEPARATE_BY_REQUEST":
            return ("separateHosts", nil)
        case "SEPARATE_BY_DEPLOY":
            return ("separateHosts", "SEPARATE_BY_DEPLOY mapped to separateHosts, which also keeps the old and new deploy's instances apart")
        case "SPREAD_ALL_AGENTS", "SPREAD_ALL_SLAVES":
            return ("spreadAllAgents", nil)
        default:
            return (nil, "\(placement) is not a known placement; Converge's default (greedy) applies")
        }
    }

    static func map(_ request: SingularityRequest, notes: inout MappingNotes) -> YAMLNode? {
        var map = YAMLMapBuilder()
        let placementField = request.agentPlacement != nil ? "request.agentPlacement" : "request.slavePlacement"
        if let placement = request.agentPlacement ?? request.slavePlacement {
            let mapped = spread(placement)
            map.set("spread", mapped.spread)
            if let note = mapped.note { notes.add(placementField, note) }
        }
        if request.rackSensitive == true { map.set("rackSensitive", true) }
        let required = request.requiredAgentAttributes ?? request.requiredSlaveAttributes ?? [:]
        if !required.isEmpty { map.set("requiredAttributes", YAMLNode.sortedMap(required)) }
        let allowed = request.allowedAgentAttributes ?? request.allowedSlaveAttributes ?? [:]
        if !allowed.isEmpty {
            map.set("allowedAttributes", YAMLNode.map(allowed.keys.sorted().map { ($0, .list([.string(allowed[$0]!)])) }))
            let field = request.allowedAgentAttributes != nil ? "request.allowedAgentAttributes" : "request.allowedSlaveAttributes"
            notes.add(field, "Singularity lets the request also use agents reserved by these attributes; Converge's allowedAttributes restricts it to agents that have them. Review.")
        }
        return map.node
    }
}
