import Foundation
import Testing

/// One workload whose create shows every output subtlety: a list of more than ten owners (byte
/// order: `[10]` before `[2]`), secrets in env, docker parameters and labels, non-ASCII keys,
/// characters JSON and markdown escape.
private let queueManifest = #"""
    apiVersion: converge/v1
    kind: Worker
    metadata:
      name: queue
      owners: [o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10]
      labels: {"clé": "ü", "env.token": "t", pipe: "a|b`c"}
    spec:
      instances: 2
      command: [run, "say \"hi\"", "tab\there"]
      env: {DB_PASSWORD: hunter2, LOG_LEVEL: info}
      resources: {cpus: 0.5, memoryMb: 64}
      container:
        docker: {image: "nginx:1", parameters: {env.API_KEY: "k1", env: "E"}}

    """#

/// The create's output in each format, byte for byte (as documented in docs/plan-format.md).
@Suite(.serialized) struct PlanOutputBytesTests {
    @Test func createTextIsExact() throws {
        let repo = try GitFixture()
        try repo.write("apps/a.yaml", queueManifest)
        let sha = try repo.commit("a")
        let result = try ConvergeBinary.run(["plan", "--repo", repo.path, "--ref", "main"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout == "Planning empty cluster -> \(sha.prefix(12))\n" + createText)
        #expect(!result.stdout.contains("hunter2") && !result.stdout.contains("k1"))
    }

    @Test func createMarkdownIsExact() throws {
        let repo = try GitFixture()
        try repo.write("apps/a.yaml", queueManifest)
        let sha = try repo.commit("a")
        let result = try ConvergeBinary.run(["plan", "--repo", repo.path, "--ref", "main", "--format", "markdown"])
        #expect(result.status == 2, "\(result.stderr)")
        let head = "### Converge plan\n\nPlanning an empty cluster → `\(sha.prefix(12))`\n\n"
            + "**Plan: 1 to create, 0 to deploy, 0 to scale, 0 to update, 0 to delete.**\n\n"
        #expect(result.stdout == head + createMarkdown)
    }

    @Test func createJSONIsExact() throws {
        let repo = try GitFixture()
        try repo.write("apps/a.yaml", queueManifest)
        let sha = try repo.commit("a")
        let result = try ConvergeBinary.run(["plan", "--repo", repo.path, "--ref", "main", "--format", "json"])
        #expect(result.status == 2, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let changes = try #require(object["changes"] as? [[String: Any]])
        let deployId = try #require((changes.first?["deployId"] as? [String: Any])?["after"] as? String)
        #expect(result.stdout == createJSON
            .replacingOccurrences(of: "TARGET_SHA", with: sha)
            .replacingOccurrences(of: "DEPLOY_ID", with: deployId))
    }
}


private let createText = "\n" + #"""
    + create queue (Worker)
        metadata.labels.clé: "ü"
        metadata.labels.env.token: "(sensitive)"
        metadata.labels.pipe: "a|b`c"
        metadata.owners[0]: "o0"
        metadata.owners[10]: "o10"
        metadata.owners[1]: "o1"
        metadata.owners[2]: "o2"
        metadata.owners[3]: "o3"
        metadata.owners[4]: "o4"
        metadata.owners[5]: "o5"
        metadata.owners[6]: "o6"
        metadata.owners[7]: "o7"
        metadata.owners[8]: "o8"
        metadata.owners[9]: "o9"
        spec.command[0]: "run"
        spec.command[1]: "say \"hi\""
        spec.command[2]: "tab\there"
        spec.container.docker.forcePullImage: false
        spec.container.docker.image: "nginx:1"
        spec.container.docker.network: "HOST"
        spec.container.docker.parameters.env: "E"
        spec.container.docker.parameters.env.API_KEY: "(sensitive)"
        spec.container.docker.privileged: false
        spec.deploy.healthyDeadlineSeconds: 120
        spec.deploy.killGraceSeconds: 30
        spec.deploy.stepSize: 1
        spec.deploy.stepWaitSeconds: 0
        spec.env.DB_PASSWORD: "(sensitive)"
        spec.env.LOG_LEVEL: "info"
        spec.instances: 2
        spec.placement.rackSensitive: false
        spec.placement.spread: "balanced"
        spec.resources.cpus: 0.5
        spec.resources.diskMb: 0
        spec.resources.memoryMb: 64
        spec.resources.ports: 0

    Plan: 1 to create, 0 to deploy, 0 to scale, 0 to update, 0 to delete.

    """#

private let createMarkdown = #"""
    | | Action | Workload | Kind | Changed fields |
    |---|---|---|---|---|
    | + | create | `queue` | Worker |  |

    <details><summary>create <code>queue</code> (Worker): 37 fields</summary>

    | Field | Before | After |
    |---|---|---|
    | `kind` | _(none)_ | `"Worker"` |
    | `metadata.labels.clé` | _(none)_ | `"ü"` |
    | `metadata.labels.env.token` | _(none)_ | `"(sensitive)"` |
    | `metadata.labels.pipe` | _(none)_ | `"a\|b'c"` |
    | `metadata.owners[0]` | _(none)_ | `"o0"` |
    | `metadata.owners[10]` | _(none)_ | `"o10"` |
    | `metadata.owners[1]` | _(none)_ | `"o1"` |
    | `metadata.owners[2]` | _(none)_ | `"o2"` |
    | `metadata.owners[3]` | _(none)_ | `"o3"` |
    | `metadata.owners[4]` | _(none)_ | `"o4"` |
    | `metadata.owners[5]` | _(none)_ | `"o5"` |
    | `metadata.owners[6]` | _(none)_ | `"o6"` |
    | `metadata.owners[7]` | _(none)_ | `"o7"` |
    | `metadata.owners[8]` | _(none)_ | `"o8"` |
    | `metadata.owners[9]` | _(none)_ | `"o9"` |
    | `spec.command[0]` | _(none)_ | `"run"` |
    | `spec.command[1]` | _(none)_ | `"say \"hi\""` |
    | `spec.command[2]` | _(none)_ | `"tab\there"` |
    | `spec.container.docker.forcePullImage` | _(none)_ | `false` |
    | `spec.container.docker.image` | _(none)_ | `"nginx:1"` |
    | `spec.container.docker.network` | _(none)_ | `"HOST"` |
    | `spec.container.docker.parameters.env` | _(none)_ | `"E"` |
    | `spec.container.docker.parameters.env.API_KEY` | _(none)_ | `"(sensitive)"` |
    | `spec.container.docker.privileged` | _(none)_ | `false` |
    | `spec.deploy.healthyDeadlineSeconds` | _(none)_ | `120` |
    | `spec.deploy.killGraceSeconds` | _(none)_ | `30` |
    | `spec.deploy.stepSize` | _(none)_ | `1` |
    | `spec.deploy.stepWaitSeconds` | _(none)_ | `0` |
    | `spec.env.DB_PASSWORD` | _(none)_ | `"(sensitive)"` |
    | `spec.env.LOG_LEVEL` | _(none)_ | `"info"` |
    | `spec.instances` | _(none)_ | `2` |
    | `spec.placement.rackSensitive` | _(none)_ | `false` |
    | `spec.placement.spread` | _(none)_ | `"balanced"` |
    | `spec.resources.cpus` | _(none)_ | `0.5` |
    | `spec.resources.diskMb` | _(none)_ | `0` |
    | `spec.resources.memoryMb` | _(none)_ | `64` |
    | `spec.resources.ports` | _(none)_ | `0` |

    </details>


    """#

private let createJSON = #"""
    {
      "base": null,
      "target": "TARGET_SHA",
      "changes": [
        {
          "name": "queue",
          "kind": "Worker",
          "action": "create",
          "deployId": {
            "before": null,
            "after": "DEPLOY_ID"
          },
          "instances": {
            "before": null,
            "after": 2
          },
          "fields": [
            {
              "path": "kind",
              "before": null,
              "after": "Worker"
            },
            {
              "path": "metadata.labels.clé",
              "before": null,
              "after": "ü"
            },
            {
              "path": "metadata.labels.env.token",
              "before": null,
              "after": "(sensitive)"
            },
            {
              "path": "metadata.labels.pipe",
              "before": null,
              "after": "a|b`c"
            },
            {
              "path": "metadata.owners[0]",
              "before": null,
              "after": "o0"
            },
            {
              "path": "metadata.owners[10]",
              "before": null,
              "after": "o10"
            },
            {
              "path": "metadata.owners[1]",
              "before": null,
              "after": "o1"
            },
            {
              "path": "metadata.owners[2]",
              "before": null,
              "after": "o2"
            },
            {
              "path": "metadata.owners[3]",
              "before": null,
              "after": "o3"
            },
            {
              "path": "metadata.owners[4]",
              "before": null,
              "after": "o4"
            },
            {
              "path": "metadata.owners[5]",
              "before": null,
              "after": "o5"
            },
            {
              "path": "metadata.owners[6]",
              "before": null,
              "after": "o6"
            },
            {
              "path": "metadata.owners[7]",
              "before": null,
              "after": "o7"
            },
            {
              "path": "metadata.owners[8]",
              "before": null,
              "after": "o8"
            },
            {
              "path": "metadata.owners[9]",
              "before": null,
              "after": "o9"
            },
            {
              "path": "spec.command[0]",
              "before": null,
              "after": "run"
            },
            {
              "path": "spec.command[1]",
              "before": null,
              "after": "say \"hi\""
            },
            {
              "path": "spec.command[2]",
              "before": null,
              "after": "tab\there"
            },
            {
              "path": "spec.container.docker.forcePullImage",
              "before": null,
              "after": false
            },
            {
              "path": "spec.container.docker.image",
              "before": null,
              "after": "nginx:1"
            },
            {
              "path": "spec.container.docker.network",
              "before": null,
              "after": "HOST"
            },
            {
              "path": "spec.container.docker.parameters.env",
              "before": null,
              "after": "E"
            },
            {
              "path": "spec.container.docker.parameters.env.API_KEY",
              "before": null,
              "after": "(sensitive)"
            },
            {
              "path": "spec.container.docker.privileged",
              "before": null,
              "after": false
            },
            {
              "path": "spec.deploy.healthyDeadlineSeconds",
              "before": null,
              "after": 120
            },
            {
              "path": "spec.deploy.killGraceSeconds",
              "before": null,
              "after": 30
            },
            {
              "path": "spec.deploy.stepSize",
              "before": null,
              "after": 1
            },
            {
              "path": "spec.deploy.stepWaitSeconds",
              "before": null,
              "after": 0
            },
            {
              "path": "spec.env.DB_PASSWORD",
              "before": null,
              "after": "(sensitive)"
            },
            {
              "path": "spec.env.LOG_LEVEL",
              "before": null,
              "after": "info"
            },
            {
              "path": "spec.instances",
              "before": null,
              "after": 2
            },
            {
              "path": "spec.placement.rackSensitive",
              "before": null,
              "after": false
            },
            {
              "path": "spec.placement.spread",
              "before": null,
              "after": "balanced"
            },
            {
              "path": "spec.resources.cpus",
              "before": null,
              "after": 0.5
            },
            {
              "path": "spec.resources.diskMb",
              "before": null,
              "after": 0
            },
            {
              "path": "spec.resources.memoryMb",
              "before": null,
              "after": 64
            },
            {
              "path": "spec.resources.ports",
              "before": null,
              "after": 0
            }
          ]
        }
      ],
      "maintenance": [],
      "summary": {
        "create": 1,
        "deploy": 0,
        "scale": 0,
        "update": 0,
        "delete": 0,
        "decommission": 0,
        "recommission": 0
      }
    }

    """#
