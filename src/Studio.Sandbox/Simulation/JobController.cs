using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// The Job controller: parallelism, completions, Indexed completion mode (JOB_COMPLETION_INDEX, stable hostnames),
/// backoffLimit counting failed pods, activeDeadlineSeconds, suspend, ttlSecondsAfterFinished, Complete/Failed conditions.
/// </summary>
internal sealed class JobController
{
    public const string Component = "job-controller";
    public const string IndexAnnotation = "batch.kubernetes.io/job-completion-index";
    private readonly Simulator _sim;
    private readonly HashSet<string> _timersSet = new(StringComparer.Ordinal);

    public JobController(Simulator sim) => _sim = sim;

    public void Reconcile(StoredObject stored)
    {
        if (stored.Deleting)
        {
            return;
        }

        var job = stored.ToJsonObject();
        var spec = job["spec"] as JsonObject ?? [];
        var status = job["status"] as JsonObject ?? [];
        var conditions = status["conditions"] as JsonArray ?? [];
        var now = Simulator.Timestamp();
        var finished = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] is "Complete" or "Failed" && (string?)c["status"] == "True");
        var pods = _sim.Store.Dependents(stored.Uid).Where(d => d.StorageKey == "pods").Select(d => (Stored: d, Json: d.ToJsonObject("metadata", "status"))).ToList();
        var active = pods.Where(p => !p.Stored.Deleting && p.Stored.Phase is not ("Succeeded" or "Failed")).ToList();

        if (finished is not null)
        {
            foreach (var p in active)
            {
                _sim.Service.Delete(_sim.Pods, p.Stored.Namespace, p.Stored.Name, Simulator.As(Component));
            }

            if ((long?)spec["ttlSecondsAfterFinished"] is { } ttl && _timersSet.Add("ttl/" + stored.Uid))
            {
                var uid = stored.Uid;
                _sim.After(ttl, () =>
                {
                    if (_sim.Store.GetByUid(uid) is { } j)
                    {
                        _sim.Service.Delete(_sim.Jobs, j.Namespace, j.Name, new RequestOptions { PropagationPolicy = "Background", FieldManager = Component });
                    }
                });
            }

            return;
        }

        var indexed = (string?)spec["completionMode"] == "Indexed";
        var parallelism = (int?)spec["parallelism"] ?? 1;
        var completions = (int?)spec["completions"];
        var backoffLimit = (int?)spec["backoffLimit"] ?? 6;
        var suspended = (bool?)spec["suspend"] ?? false;
        var succeededPods = pods.Where(p => p.Stored.Phase == "Succeeded").ToList();
        var failedPods = pods.Count(p => p.Stored.Phase == "Failed");
        var restarts = (string?)spec["template"]?["spec"]?["restartPolicy"] == "OnFailure"
            ? pods.Sum(p => (p.Json["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().Sum(cs => (int?)cs["restartCount"] ?? 0))
            : 0;
        var failed = failedPods + restarts;
        var succeededIndexes = new SortedSet<int>(succeededPods.Select(p => Index(p.Json)).Where(i => i >= 0));
        var succeeded = indexed ? succeededIndexes.Count : succeededPods.Count;

        var newStatus = new JsonObject
        {
            ["startTime"] = (string?)status["startTime"],
            ["active"] = active.Count,
            ["ready"] = active.Count(p => PodTemplates.IsReady(p.Json)),
            ["succeeded"] = succeeded,
            ["failed"] = failed,
            ["terminating"] = pods.Count(p => p.Stored.Deleting),
        };
        if (indexed && succeededIndexes.Count > 0)
        {
            newStatus["completedIndexes"] = Ranges(succeededIndexes);
        }

        var newConditions = new JsonArray();
        string? failReason = null;
        string? failMessage = null;

        if (suspended)
        {
            foreach (var p in active)
            {
                _sim.Service.Delete(_sim.Pods, p.Stored.Namespace, p.Stored.Name, Simulator.As(Component));
            }

            newConditions.Add(Keep(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now));
            if (!conditions.OfType<JsonObject>().Any(c => (string?)c["type"] == "Suspended" && (string?)c["status"] == "True"))
            {
                _sim.Recorder.Record(stored, "Job", "batch/v1", "Normal", "Suspended", "Job suspended", Component);
            }

            newStatus["startTime"] = null;
            WriteStatus(stored, status, newStatus, newConditions);
            return;
        }

        if (conditions.OfType<JsonObject>().Any(c => (string?)c["type"] == "Suspended" && (string?)c["status"] == "True"))
        {
            newConditions.Add(Keep(conditions, "Suspended", "False", "JobResumed", "Job resumed", now));
            _sim.Recorder.Record(stored, "Job", "batch/v1", "Normal", "Resumed", "Job resumed", Component);
        }

        newStatus["startTime"] ??= now;
        var start = DateTime.Parse((string)newStatus["startTime"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        if ((long?)spec["activeDeadlineSeconds"] is { } ads)
        {
            var simElapsed = (DateTime.UtcNow - start).TotalSeconds * _sim.Speed;
            if (simElapsed >= ads)
            {
                failReason = "DeadlineExceeded";
                failMessage = "Job was active longer than specified deadline";
            }
            else if (_timersSet.Add("deadline/" + stored.Uid))
            {
                var uid = stored.Uid;
                _sim.After(ads - simElapsed + 0.5, () => _sim.Requeue(uid));
            }
        }

        if (failReason is null && failed > backoffLimit)
        {
            failReason = "BackoffLimitExceeded";
            failMessage = "Job has reached the specified backoff limit";
        }

        if (failReason is not null)
        {
            foreach (var p in active)
            {
                _sim.Service.Delete(_sim.Pods, p.Stored.Namespace, p.Stored.Name, Simulator.As(Component));
            }

            newStatus["active"] = 0;
            newStatus["ready"] = 0;
            newConditions.Add(PodTemplates.Condition("FailureTarget", "True", failReason, failMessage!, now));
            newConditions.Add(PodTemplates.Condition("Failed", "True", failReason, failMessage!, now));
            _sim.Recorder.Record(stored, "Job", "batch/v1", "Warning", failReason, failMessage!, Component);
            WriteStatus(stored, status, newStatus, newConditions);
            return;
        }

        var target = completions ?? 1;
        var done = completions is null ? succeeded > 0 && active.Count == 0 : succeeded >= target;
        if (done)
        {
            newConditions.Add(PodTemplates.Condition("SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", now));
            newConditions.Add(PodTemplates.Condition("Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", now));
            newStatus["completionTime"] = now;
            _sim.Recorder.Record(stored, "Job", "batch/v1", "Normal", "Completed", "Job completed", Component);
            WriteStatus(stored, status, newStatus, newConditions);
            return;
        }

        var template = spec["template"] as JsonObject ?? [];
        var owner = PodTemplates.OwnerRef("batch/v1", "Job", stored.Name, stored.Uid);
        var jobLabels = new Dictionary<string, string>
        {
            ["batch.kubernetes.io/controller-uid"] = stored.Uid,
            ["batch.kubernetes.io/job-name"] = stored.Name,
            ["controller-uid"] = stored.Uid,
            ["job-name"] = stored.Name,
        };
        if (indexed)
        {
            var activeIndexes = active.Select(p => Index(p.Json)).ToHashSet();
            var slots = parallelism - active.Count;
            for (var i = 0; i < target && slots > 0; i++)
            {
                if (succeededIndexes.Contains(i) || activeIndexes.Contains(i))
                {
                    continue;
                }

                var labels = new Dictionary<string, string>(jobLabels) { [IndexAnnotation] = i.ToString(CultureInfo.InvariantCulture) };
                var pod = PodTemplates.NewPod(template, $"{stored.Name}-{i}-{Names.Suffix()}", stored.Namespace, owner.DeepClone().AsObject(), labels);
                var meta = (JsonObject)pod["metadata"]!;
                var ann = meta["annotations"] as JsonObject ?? [];
                ann[IndexAnnotation] = i.ToString(CultureInfo.InvariantCulture);
                meta["annotations"] = ann;
                var podSpec = (JsonObject)pod["spec"]!;
                podSpec["hostname"] = $"{stored.Name}-{i}";
                foreach (var c in (podSpec["containers"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var env = c["env"] as JsonArray ?? [];
                    env.Add(new JsonObject
                    {
                        ["name"] = "JOB_COMPLETION_INDEX",
                        ["value"] = i.ToString(CultureInfo.InvariantCulture),
                    });
                    c["env"] = env;
                }

                CreatePod(stored, pod);
                slots--;
            }
        }
        else
        {
            var remaining = completions is null ? parallelism : target - succeeded;
            var want = Math.Min(parallelism, remaining) - active.Count;
            for (var i = 0; i < want; i++)
            {
                CreatePod(stored, PodTemplates.NewPod(template, $"{stored.Name}-{Names.Suffix()}", stored.Namespace, owner.DeepClone().AsObject(), jobLabels));
            }
        }

        foreach (var c in conditions.OfType<JsonObject>().Where(c => (string?)c["type"] == "Suspended" && newConditions.Count == 0))
        {
            newConditions.Add(c.DeepClone());
        }

        WriteStatus(stored, status, newStatus, newConditions);
    }

    private void CreatePod(StoredObject job, JsonObject pod)
    {
        var created = _sim.Service.Create(_sim.Pods, job.Namespace, pod, Simulator.As(Component));
        _sim.Recorder.Record(job, "Job", "batch/v1", "Normal", "SuccessfulCreate", "Created pod: " + (string?)created["metadata"]?["name"], Component);
    }

    private static JsonObject Keep(JsonArray existing, string type, string status, string reason, string message, string now)
    {
        var prev = existing.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type && (string?)c["status"] == status);
        return prev?.DeepClone().AsObject() ?? PodTemplates.Condition(type, status, reason, message, now);
    }

    private void WriteStatus(StoredObject job, JsonObject old, JsonObject status, JsonArray conditions)
    {
        if (conditions.Count > 0)
        {
            status["conditions"] = conditions;
        }

        foreach (var k in status.Select(kv => kv.Key).ToList())
        {
            if (status[k] is null)
            {
                status.Remove(k);
            }
        }

        var cmp = old.DeepClone().AsObject();
        cmp.Remove("uncountedTerminatedPods");
        if (JsonNode.DeepEquals(cmp, status))
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

        _sim.MergePatch(_sim.Jobs, job.Namespace, job.Name, new JsonObject { ["status"] = patch }, Component, "status");
    }

    private static int Index(JsonObject pod) =>
        int.TryParse((string?)pod["metadata"]?["annotations"]?[IndexAnnotation], NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : -1;

    private static string Ranges(SortedSet<int> set)
    {
        var sb = new StringBuilder();
        var list = set.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var j = i;
            while (j + 1 < list.Count && list[j + 1] == list[j] + 1)
            {
                j++;
            }

            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(list[i].ToString(CultureInfo.InvariantCulture));
            if (j > i)
            {
                sb.Append('-').Append(list[j].ToString(CultureInfo.InvariantCulture));
            }

            i = j;
        }

        return sb.ToString();
    }
}
