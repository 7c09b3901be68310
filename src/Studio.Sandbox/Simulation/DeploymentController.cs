using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// The Deployment and ReplicaSet controllers: one ReplicaSet per pod template (pod-template-hash), rolling update with
/// maxSurge/maxUnavailable (or Recreate), revisions, status and conditions that <c>kubectl rollout status</c> reads.
/// </summary>
internal sealed class DeploymentController
{
    public const string DeploymentComponent = "deployment-controller";
    public const string ReplicaSetComponent = "replicaset-controller";
    public const string HashLabel = "pod-template-hash";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private readonly Simulator _sim;

    public DeploymentController(Simulator sim) => _sim = sim;

    public void ReconcileReplicaSet(StoredObject stored)
    {
        if (stored.Deleting)
        {
            return;
        }

        var rs = stored.ToJsonObject();
        var desired = (int?)rs["spec"]?["replicas"] ?? 1;
        var pods = _sim.Store.Dependents(stored.Uid).Where(d => d.StorageKey == "pods" && !d.Deleting && d.Phase is not ("Succeeded" or "Failed"))
            .Select(d => (Stored: d, Json: d.ToJsonObject("metadata", "status"))).ToList();
        var diff = desired - pods.Count;
        if (diff > 0)
        {
            var template = rs["spec"]?["template"] as JsonObject ?? [];
            var owner = PodTemplates.OwnerRef("apps/v1", "ReplicaSet", stored.Name, stored.Uid);
            for (var i = 0; i < diff; i++)
            {
                var created = _sim.Service.Create(_sim.Pods, stored.Namespace,
                    PodTemplates.NewPod(template, $"{stored.Name}-{Names.Suffix()}", stored.Namespace, owner.DeepClone().AsObject(), []), Simulator.As(ReplicaSetComponent));
                _sim.Recorder.Record(stored, "ReplicaSet", "apps/v1", "Normal", "SuccessfulCreate", "Created pod: " + (string?)created["metadata"]?["name"], ReplicaSetComponent);
            }
        }
        else if (diff < 0)
        {
            var victims = pods
                .OrderBy(p => p.Stored.NodeName is null ? 0 : 1)
                .ThenBy(p => p.Stored.Phase == "Running" ? 1 : 0)
                .ThenBy(p => PodTemplates.IsReady(p.Json) ? 1 : 0)
                .ThenByDescending(p => p.Stored.ResourceVersion)
                .Take(-diff);
            foreach (var v in victims)
            {
                _sim.Service.Delete(_sim.Pods, v.Stored.Namespace, v.Stored.Name, Simulator.As(ReplicaSetComponent));
                _sim.Recorder.Record(stored, "ReplicaSet", "apps/v1", "Normal", "SuccessfulDelete", "Deleted pod: " + v.Stored.Name, ReplicaSetComponent);
            }

            pods = [.. pods.Except(victims)];
        }

        var ready = pods.Count(p => PodTemplates.IsReady(p.Json));
        var status = new JsonObject
        {
            ["replicas"] = pods.Count,
            ["fullyLabeledReplicas"] = pods.Count,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["observedGeneration"] = (long?)rs["metadata"]?["generation"] ?? 1,
        };
        WriteStatus(_sim.ReplicaSets, stored, rs["status"] as JsonObject ?? [], status, ReplicaSetComponent);
    }

    public void ReconcileDeployment(StoredObject stored)
    {
        if (stored.Deleting)
        {
            return;
        }

        var dep = stored.ToJsonObject();
        var spec = dep["spec"] as JsonObject ?? [];
        var desired = (int?)spec["replicas"] ?? 1;
        var template = spec["template"]?.DeepClone() as JsonObject ?? [];
        var hash = Names.Hash(template.ToJsonString());
        var all = _sim.Store.Dependents(stored.Uid).Where(d => d.StorageKey == "replicasets.apps" && !d.Deleting)
            .Select(d => (Stored: d, Json: d.ToJsonObject())).ToList();
        var current = all.FirstOrDefault(r => r.Stored.Label(HashLabel) == hash);
        var olds = all.Where(r => r.Stored.Label(HashLabel) != hash).ToList();
        var maxRevision = all.Select(r => Revision(r.Json)).DefaultIfEmpty(0).Max();
        var recreate = (string?)spec["strategy"]?["type"] == "Recreate";
        var maxSurge = recreate ? 0 : Resolve(spec["strategy"]?["rollingUpdate"]?["maxSurge"], desired, true);
        var maxUnavailable = recreate ? desired : Resolve(spec["strategy"]?["rollingUpdate"]?["maxUnavailable"], desired, false);
        if (!recreate && maxSurge == 0 && maxUnavailable == 0)
        {
            maxUnavailable = 1;
        }

        int Replicas(JsonObject rs) => (int?)rs["spec"]?["replicas"] ?? 0;
        int Available(JsonObject rs) => (int?)rs["status"]?["availableReplicas"] ?? 0;
        var paused = (bool?)spec["paused"] ?? false;

        if (current.Stored is null && !paused)
        {
            var oldTotal = olds.Sum(o => Replicas(o.Json));
            var initial = olds.Count == 0 || oldTotal == 0 ? desired : recreate ? 0 : Math.Max(0, Math.Min(desired, desired + maxSurge - oldTotal));
            var labels = template["metadata"]?["labels"]?.DeepClone() as JsonObject ?? [];
            labels[HashLabel] = hash;
            var podTemplate = template.DeepClone().AsObject();
            var tmeta = podTemplate["metadata"] as JsonObject ?? [];
            tmeta["labels"] = labels.DeepClone();
            podTemplate["metadata"] = tmeta;
            var selector = spec["selector"]?.DeepClone() as JsonObject ?? [];
            var matchLabels = selector["matchLabels"] as JsonObject ?? [];
            matchLabels[HashLabel] = hash;
            selector["matchLabels"] = matchLabels;
            var name = $"{stored.Name}-{hash}";
            var rs = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = stored.Namespace,
                    ["labels"] = labels,
                    ["annotations"] = new JsonObject
                    {
                        [RevisionAnnotation] = (maxRevision + 1).ToString(CultureInfo.InvariantCulture),
                        ["deployment.kubernetes.io/desired-replicas"] = desired.ToString(CultureInfo.InvariantCulture),
                        ["deployment.kubernetes.io/max-replicas"] = (desired + maxSurge).ToString(CultureInfo.InvariantCulture),
                    },
                    ["ownerReferences"] = new JsonArray(PodTemplates.OwnerRef("apps/v1", "Deployment", stored.Name, stored.Uid)),
                },
                ["spec"] = new JsonObject { ["replicas"] = initial, ["selector"] = selector, ["template"] = podTemplate },
            };
            var created = _sim.Service.Create(_sim.ReplicaSets, stored.Namespace, rs, Simulator.As(DeploymentComponent));
            _sim.Recorder.Record(stored, "Deployment", "apps/v1", "Normal", "ScalingReplicaSet", $"Scaled up replica set {name} from 0 to {initial}", DeploymentComponent);
            var createdStored = _sim.Store.Get("replicasets.apps", stored.Namespace, name)!;
            current = (createdStored, created);
            SetRevision(stored, dep, maxRevision + 1);
        }
        else if (current.Stored is not null && Revision(current.Json) < maxRevision && olds.Any(o => Replicas(o.Json) > 0))
        {
            // Rolled back to an older template: it becomes the newest revision.
            Scale(current.Stored, current.Json, Replicas(current.Json), stored, maxRevision + 1);
            SetRevision(stored, dep, maxRevision + 1);
        }
        else if (current.Stored is not null && (string?)dep["metadata"]?["annotations"]?[RevisionAnnotation] != Revision(current.Json).ToString(CultureInfo.InvariantCulture))
        {
            SetRevision(stored, dep, Revision(current.Json));
        }

        if (current.Stored is not null && !paused)
        {
            var newReplicas = Replicas(current.Json);
            if (olds.All(o => Replicas(o.Json) == 0))
            {
                if (newReplicas != desired)
                {
                    Scale(current.Stored, current.Json, desired, stored);
                }
            }
            else if (recreate)
            {
                foreach (var o in olds.Where(o => Replicas(o.Json) > 0))
                {
                    Scale(o.Stored, o.Json, 0, stored);
                }
            }
            else
            {
                var total = Replicas(current.Json) + olds.Sum(o => Replicas(o.Json));
                var maxTotal = desired + maxSurge;
                if (newReplicas < desired && total < maxTotal)
                {
                    var up = Math.Min(desired, newReplicas + (maxTotal - total));
                    Scale(current.Stored, current.Json, up, stored);
                    total += up - newReplicas;
                    newReplicas = up;
                }

                var minAvailable = desired - maxUnavailable;
                var newUnavailable = newReplicas - Available(current.Json);
                var canRemove = total - minAvailable - newUnavailable;
                foreach (var o in olds.OrderBy(o => Revision(o.Json)))
                {
                    if (canRemove <= 0)
                    {
                        break;
                    }

                    var r = Replicas(o.Json);
                    if (r == 0)
                    {
                        continue;
                    }

                    var down = Math.Min(r, canRemove);
                    Scale(o.Stored, o.Json, r - down, stored);
                    canRemove -= down;
                }
            }
        }

        // Status from the replica sets as they are now.
        all = _sim.Store.Dependents(stored.Uid).Where(d => d.StorageKey == "replicasets.apps" && !d.Deleting).Select(d => (Stored: d, Json: d.ToJsonObject())).ToList();
        current = all.FirstOrDefault(r => r.Stored.Label(HashLabel) == hash);
        var replicas = all.Sum(r => (int?)r.Json["status"]?["replicas"] ?? 0);
        var updated = current.Json is null ? 0 : (int?)current.Json["status"]?["replicas"] ?? 0;
        var readyCount = all.Sum(r => (int?)r.Json["status"]?["readyReplicas"] ?? 0);
        var available = all.Sum(r => (int?)r.Json["status"]?["availableReplicas"] ?? 0);
        var old = dep["status"] as JsonObject ?? [];
        var oldConditions = old["conditions"] as JsonArray ?? [];
        var now = Simulator.Timestamp();
        var rsName = current.Stored?.Name ?? stored.Name;
        var complete = current.Stored is not null && updated == desired && replicas == desired && available >= desired
            && ((int?)current.Json!["spec"]?["replicas"] ?? 0) == desired;
        var availableOk = available >= desired - maxUnavailable;
        var status = new JsonObject
        {
            ["observedGeneration"] = (long?)dep["metadata"]?["generation"] ?? 1,
            ["replicas"] = replicas,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = readyCount,
            ["availableReplicas"] = available,
            ["unavailableReplicas"] = Math.Max(0, replicas - available),
            ["conditions"] = new JsonArray(
                Condition(oldConditions, "Available", availableOk ? "True" : "False", availableOk ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    availableOk ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
                Condition(oldConditions, "Progressing", "True", complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    complete ? $"ReplicaSet \"{rsName}\" has successfully progressed." : $"ReplicaSet \"{rsName}\" is progressing.", now)),
        };
        foreach (var k in new[] { "readyReplicas", "availableReplicas", "unavailableReplicas", "updatedReplicas", "replicas" })
        {
            if ((int?)status[k] == 0)
            {
                status.Remove(k);
            }
        }

        WriteStatus(_sim.Deployments, stored, old, status, DeploymentComponent);
    }

    private static JsonObject Condition(JsonArray old, string type, string status, string reason, string message, string now)
    {
        var prev = old.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        var same = prev is not null && (string?)prev["status"] == status && (string?)prev["reason"] == reason && (string?)prev["message"] == message;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = same ? (string?)prev!["lastUpdateTime"] : now,
            ["lastTransitionTime"] = prev is not null && (string?)prev["status"] == status ? (string?)prev["lastTransitionTime"] : now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private void Scale(StoredObject rs, JsonObject json, int replicas, StoredObject dep, int? revision = null)
    {
        var from = (int?)json["spec"]?["replicas"] ?? 0;
        var ann = new JsonObject { ["deployment.kubernetes.io/desired-replicas"] = ((int?)dep.ToJsonObject()["spec"]?["replicas"] ?? 1).ToString(CultureInfo.InvariantCulture) };
        if (revision is { } r)
        {
            ann[RevisionAnnotation] = r.ToString(CultureInfo.InvariantCulture);
        }

        _sim.MergePatch(_sim.ReplicaSets, rs.Namespace, rs.Name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = ann },
            ["spec"] = new JsonObject { ["replicas"] = replicas },
        }, DeploymentComponent);
        if (from != replicas)
        {
            _sim.Recorder.Record(dep, "Deployment", "apps/v1", "Normal", "ScalingReplicaSet",
                $"Scaled {(replicas > from ? "up" : "down")} replica set {rs.Name} from {from} to {replicas}", DeploymentComponent);
        }
    }

    private void SetRevision(StoredObject dep, JsonObject json, int revision)
    {
        if ((string?)json["metadata"]?["annotations"]?[RevisionAnnotation] == revision.ToString(CultureInfo.InvariantCulture))
        {
            return;
        }

        _sim.MergePatch(_sim.Deployments, dep.Namespace, dep.Name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture) } },
        }, DeploymentComponent);
    }

    private static int Revision(JsonObject rs) =>
        int.TryParse((string?)rs["metadata"]?["annotations"]?[RevisionAnnotation], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 0;

    private static int Resolve(JsonNode? value, int total, bool roundUp)
    {
        if (value is null)
        {
            return roundUp ? (int)Math.Ceiling(total * 0.25) : (int)Math.Floor(total * 0.25);
        }

        var s = value.ToString();
        if (s.EndsWith('%') && double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct))
        {
            return roundUp ? (int)Math.Ceiling(total * pct / 100) : (int)Math.Floor(total * pct / 100);
        }

        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private void WriteStatus(Studio.Sandbox.Resources.ResourceType type, StoredObject obj, JsonObject old, JsonObject status, string component)
    {
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

        _sim.MergePatch(type, obj.Namespace, obj.Name, new JsonObject { ["status"] = patch }, component, "status");
    }
}
