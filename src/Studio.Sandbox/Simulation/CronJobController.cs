using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// The CronJob controller: creates a Job from <c>jobTemplate</c> at each schedule time (on a clock running
/// <see cref="Simulator.Speed"/> times faster than real time from when the simulation started), honouring
/// <c>suspend</c>, <c>concurrencyPolicy</c> (Allow, Forbid, Replace), <c>startingDeadlineSeconds</c> and the successful and
/// failed history limits; status lists the active Jobs, the last schedule and the last successful completion.
/// </summary>
internal sealed class CronJobController
{
    public const string Component = "cronjob-controller";
    public const string ScheduledAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private readonly Simulator _sim;
    private readonly DateTime _start = DateTime.UtcNow;
    private readonly Dictionary<string, DateTime> _lastScheduled = new(StringComparer.Ordinal);

    public CronJobController(Simulator sim) => _sim = sim;

    /// <summary>Simulated time: real time since the simulation started, times Speed.</summary>
    private DateTime Virtual(DateTime real) => _start + ((real - _start) * _sim.Speed);

    /// <summary>Every 10 simulated seconds, as the real controller's resync.</summary>
    public void Sync()
    {
        foreach (var stored in _sim.Store.List("cronjobs.batch", null, null, 0, o => !o.Deleting).Items)
        {
            Simulator.Guard(() => Reconcile(stored));
        }

        _sim.After(10, Sync);
    }

    public void Reconcile(StoredObject stored)
    {
        if (stored.Deleting)
        {
            return;
        }

        var cron = stored.ToJsonObject();
        var spec = cron["spec"] as JsonObject ?? [];
        var jobs = _sim.Store.Dependents(stored.Uid).Where(d => d.StorageKey == "jobs.batch" && !d.Deleting)
            .Select(d => (Stored: d, Json: d.ToJsonObject("metadata", "status"))).ToList();
        var active = jobs.Where(j => Finished(j.Json) is null).ToList();
        var finished = jobs.Where(j => Finished(j.Json) is not null).ToList();

        if (CronSchedule.TryParse((string?)spec["schedule"], out var schedule, out _) && !((bool?)spec["suspend"] ?? false))
        {
            var now = Virtual(DateTime.UtcNow);
            var created = Virtual(DateTime.Parse((string?)cron["metadata"]?["creationTimestamp"] ?? Simulator.Timestamp(), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
            var last = _lastScheduled.TryGetValue(stored.Uid, out var l) ? l : created;
            DateTime? due = null;
            for (var next = schedule!.Next(last); next is { } n && n <= now; next = schedule.Next(n))
            {
                due = n; // the most recent missed time runs, as the real controller does
            }

            if (due is { } at)
            {
                _lastScheduled[stored.Uid] = at;
                var deadline = (long?)spec["startingDeadlineSeconds"];
                if (deadline is null || (now - at).TotalSeconds <= deadline)
                {
                    active = Run(stored, cron, spec, at, active);
                }
            }
        }

        Prune(finished, "Complete", (int?)spec["successfulJobsHistoryLimit"] ?? 3);
        Prune(finished, "Failed", (int?)spec["failedJobsHistoryLimit"] ?? 1);
        WriteStatus(stored, cron, active, finished);
    }

    private List<(StoredObject Stored, JsonObject Json)> Run(StoredObject stored, JsonObject cron, JsonObject spec, DateTime at,
        List<(StoredObject Stored, JsonObject Json)> active)
    {
        var policy = (string?)spec["concurrencyPolicy"] ?? "Allow";
        if (policy == "Forbid" && active.Count > 0)
        {
            _sim.Recorder.Record(stored, "CronJob", "batch/v1", "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", Component);
            return active;
        }

        if (policy == "Replace")
        {
            foreach (var (running, _) in active)
            {
                _sim.Service.Delete(_sim.Jobs, running.Namespace, running.Name, new RequestOptions { PropagationPolicy = "Background", FieldManager = Component });
                _sim.Recorder.Record(stored, "CronJob", "batch/v1", "Normal", "SuccessfulDelete", "Deleted job " + running.Name, Component);
            }

            active = [];
        }

        var template = spec["jobTemplate"] as JsonObject ?? [];
        var name = $"{stored.Name}-{new DateTimeOffset(at).ToUnixTimeSeconds() / 60}";
        var meta = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = stored.Namespace,
            ["labels"] = template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(),
            ["annotations"] = template["metadata"]?["annotations"]?.DeepClone() ?? new JsonObject(),
            ["ownerReferences"] = new JsonArray(PodTemplates.OwnerRef("batch/v1", "CronJob", stored.Name, stored.Uid)),
        };
        ((JsonObject)meta["annotations"]!)[ScheduledAnnotation] = Simulator.Timestamp(at);
        var job = new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["metadata"] = meta, ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject() };
        try
        {
            var created = _sim.Service.Create(_sim.Jobs, stored.Namespace, job, Simulator.As(Component));
            _sim.Recorder.Record(stored, "CronJob", "batch/v1", "Normal", "SuccessfulCreate", "Created job " + name, Component);
            var createdStored = _sim.Store.Get("jobs.batch", stored.Namespace, name)!;
            return [.. active, (createdStored, created)];
        }
        catch (ApiException e) when (e.Reason == "AlreadyExists")
        {
            return active; // this schedule time already ran
        }
    }

    private void Prune(List<(StoredObject Stored, JsonObject Json)> finished, string outcome, int keep)
    {
        var old = finished.Where(j => Finished(j.Json) == outcome)
            .OrderByDescending(j => (string?)j.Json["status"]?["completionTime"] ?? (string?)j.Json["metadata"]?["creationTimestamp"], StringComparer.Ordinal)
            .Skip(Math.Max(0, keep)).ToList();
        foreach (var (job, _) in old)
        {
            _sim.Service.Delete(_sim.Jobs, job.Namespace, job.Name, new RequestOptions { PropagationPolicy = "Background", FieldManager = Component });
            finished.RemoveAll(j => j.Stored.Uid == job.Uid);
        }
    }

    private void WriteStatus(StoredObject stored, JsonObject cron, List<(StoredObject Stored, JsonObject Json)> active, List<(StoredObject Stored, JsonObject Json)> finished)
    {
        var old = cron["status"] as JsonObject ?? [];
        var status = new JsonObject();
        if (active.Count > 0)
        {
            status["active"] = new JsonArray([.. active.OrderBy(j => j.Stored.Name, StringComparer.Ordinal).Select(j => (JsonNode)new JsonObject
            {
                ["apiVersion"] = "batch/v1",
                ["kind"] = "Job",
                ["name"] = j.Stored.Name,
                ["namespace"] = j.Stored.Namespace,
                ["uid"] = j.Stored.Uid,
            })]);
        }

        var lastScheduled = active.Concat(finished).Select(j => (string?)j.Json["metadata"]?["creationTimestamp"]).Where(t => t is not null)
            .Max(StringComparer.Ordinal) ?? (string?)old["lastScheduleTime"];
        if (lastScheduled is not null)
        {
            status["lastScheduleTime"] = lastScheduled;
        }

        var lastSuccess = finished.Where(j => Finished(j.Json) == "Complete").Select(j => (string?)j.Json["status"]?["completionTime"])
            .Where(t => t is not null).Max(StringComparer.Ordinal) ?? (string?)old["lastSuccessfulTime"];
        if (lastSuccess is not null)
        {
            status["lastSuccessfulTime"] = lastSuccess;
        }

        if (JsonNode.DeepEquals(old, status))
        {
            return;
        }

        var patch = status.DeepClone().AsObject();
        foreach (var (k, _) in old)
        {
            if (!patch.ContainsKey(k))
            {
                patch[k] = null;
            }
        }

        _sim.MergePatch(_sim.CronJobs, stored.Namespace, stored.Name, new JsonObject { ["status"] = patch }, Component, "status");
    }

    private static string? Finished(JsonObject job) =>
        (job["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => (string?)c["type"] is "Complete" or "Failed" && (string?)c["status"] == "True").Select(c => (string?)c["type"]).FirstOrDefault();
}
