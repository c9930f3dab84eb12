#!/usr/bin/env python3
"""Drives the dev master with pymesos, a Mesos client nobody on this project wrote.

Scenario: subscribe, accept an offer, launch a command task that finishes and a second one that
runs until killed; see RUNNING and FINISHED for the first, acknowledge every update, kill the
second and see TASK_KILLED. Exits 0 on success, 1 (with the reason) on failure or timeout.

Usage: scenario.py HOST:PORT [TIMEOUT_SECONDS]
"""
import json
import logging
import sys
import threading
import time
import uuid

from pymesos import MesosSchedulerDriver, Scheduler

logging.basicConfig(level=logging.WARNING, stream=sys.stderr)


class Recorder(Scheduler):
    def __init__(self):
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.framework_id = None
        self.launched = False
        self.updates = []          # (task_id, state, had_uuid)
        self.errors = []
        self.finish_id = "finish-" + uuid.uuid4().hex[:8]
        self.sleep_id = "sleep-" + uuid.uuid4().hex[:8]

    def registered(self, driver, framework_id, master_info):
        with self.lock:
            self.framework_id = framework_id["value"]
            self.changed.notify_all()

    def resourceOffers(self, driver, offers):
        with self.lock:
            if self.launched:
                driver.declineOffer([o["id"] for o in offers], {"refuse_seconds": 60})
                return
            self.launched = True
        offer = offers[0]
        agent_id = offer["agent_id"]["value"]

        def task(task_id, command):
            return {
                "task_id": {"value": task_id},
                "agent_id": {"value": agent_id},
                "name": task_id,
                "command": {"value": command, "shell": True},
                "resources": [
                    {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}},
                    {"name": "mem", "type": "SCALAR", "scalar": {"value": 32}},
                ],
            }

        tasks = [task(self.finish_id, "echo hello from $MESOS_TASK_ID"), task(self.sleep_id, "exec sleep 300")]
        driver.launchTasks([offer["id"]], tasks)
        for other in offers[1:]:
            driver.declineOffer([other["id"]], {"refuse_seconds": 60})

    def statusUpdate(self, driver, update):
        with self.lock:
            self.updates.append((update["task_id"]["value"], update["state"], "uuid" in update))
            self.changed.notify_all()
        # pymesos acknowledges automatically (implicit acknowledgements) after this returns.

    def error(self, driver, message):
        with self.lock:
            self.errors.append(message)
            self.changed.notify_all()

    def states(self, task_id):
        return [s for t, s, _ in self.updates if t == task_id]


def wait_for(recorder, predicate, deadline, what):
    with recorder.lock:
        while not predicate():
            if recorder.errors:
                raise SystemExit("FAIL: framework error while waiting for %s: %s" % (what, recorder.errors))
            remaining = deadline - time.time()
            if remaining <= 0:
                raise SystemExit("FAIL: timed out waiting for %s; updates so far: %s" % (what, recorder.updates))
            recorder.changed.wait(min(remaining, 0.5))


def main():
    master = sys.argv[1]
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    deadline = time.time() + timeout
    recorder = Recorder()
    framework = {"user": "converge", "name": "pymesos-scenario", "failover_timeout": 5,
                 "capabilities": [{"type": "PARTITION_AWARE"}]}
    driver = MesosSchedulerDriver(recorder, framework, master, use_addict=False)
    driver.start()
    try:
        wait_for(recorder, lambda: recorder.framework_id is not None, deadline, "SUBSCRIBED")
        wait_for(recorder, lambda: "TASK_RUNNING" in recorder.states(recorder.finish_id) or
                 "TASK_FINISHED" in recorder.states(recorder.finish_id), deadline, "first task RUNNING")
        wait_for(recorder, lambda: "TASK_FINISHED" in recorder.states(recorder.finish_id), deadline, "TASK_FINISHED")
        wait_for(recorder, lambda: "TASK_RUNNING" in recorder.states(recorder.sleep_id), deadline, "second task RUNNING")
        driver.killTask({"value": recorder.sleep_id})
        wait_for(recorder, lambda: "TASK_KILLED" in recorder.states(recorder.sleep_id), deadline, "TASK_KILLED")
        finish_states = recorder.states(recorder.finish_id)
        if finish_states.index("TASK_RUNNING") > finish_states.index("TASK_FINISHED"):
            raise SystemExit("FAIL: RUNNING after FINISHED: %s" % finish_states)
        if not all(had_uuid for _, _, had_uuid in recorder.updates):
            raise SystemExit("FAIL: an agent update came without a uuid: %s" % recorder.updates)
        # Give the acknowledgements time to land, then let the caller check the master's view.
        time.sleep(0.5)
        print(json.dumps({"framework_id": recorder.framework_id, "finished": recorder.finish_id,
                          "killed": recorder.sleep_id, "updates": recorder.updates}))
    finally:
        driver.stop()
        driver.join()


if __name__ == "__main__":
    main()
