/// `spec.deploy`: how a new template replaces the old one. Defaults: stepSize 1, stepWaitSeconds 0,
/// healthyDeadlineSeconds 120, killGraceSeconds 30.
public struct DeploySettings: Sendable, Hashable {
    /// New instances started per step.
    public var stepSize: Int
    public var stepWaitSeconds: Int
    /// A deploy not healthy by then fails; the previous deploy keeps running.
    public var healthyDeadlineSeconds: Int
    public var killGraceSeconds: Int

    public init(stepSize: Int = 1, stepWaitSeconds: Int = 0, healthyDeadlineSeconds: Int = 120, killGraceSeconds: Int = 30) {
        self.stepSize = stepSize
        self.stepWaitSeconds = stepWaitSeconds
        self.healthyDeadlineSeconds = healthyDeadlineSeconds
        self.killGraceSeconds = killGraceSeconds
    }
}
