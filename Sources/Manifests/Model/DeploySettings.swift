/// `spec.deploy`: how a new template replaces the old one. Defaults: stepSize 1, stepWaitSeconds 0,
/// healthyDeadlineSeconds 120, killGraceSeconds 30.
public struct DeploySettings: Sendable, Hashable {
    /// New instances started per step.
    public var stepSize: Int
    public var stepWaitSeconds: Int
    /// A deploy not healthy by then fails; the previous deploy keeps running.
    public var healthyDeadlineSeconds: Int
    public var killGraceSeconds: Int
    /// Canary phase before the rolling steps; nil: none.
    public var canary: CanarySettings?

    public init(stepSize: Int = 1, stepWaitSeconds: Int = 0, healthyDeadlineSeconds: Int = 120, killGraceSeconds: Int = 30,
                canary: CanarySettings? = nil) {
        self.stepSize = stepSize
        self.stepWaitSeconds = stepWaitSeconds
        self.healthyDeadlineSeconds = healthyDeadlineSeconds
        self.killGraceSeconds = killGraceSeconds
        self.canary = canary
    }
}

/// `spec.deploy.canary`: a new deploy first runs `instances` new tasks beside all the old ones, holds
/// `holdSeconds` watching them, then goes on with the rolling steps (`autoPromote`) or waits for
/// `converge promote`. Defaults: 1 instance, 300 s, no auto-promotion.
public struct CanarySettings: Sendable, Hashable {
    public var instances: Int
    public var holdSeconds: Int
    public var autoPromote: Bool

    public init(instances: Int = 1, holdSeconds: Int = 300, autoPromote: Bool = false) {
        self.instances = instances
        self.holdSeconds = holdSeconds
        self.autoPromote = autoPromote
    }
}
