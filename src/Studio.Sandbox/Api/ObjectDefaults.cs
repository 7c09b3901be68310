using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Server-side defaulting of built-in kinds, as the real API server's defaulting and admission add it on every write.</summary>
internal static class ObjectDefaults
{
    /// <summary>Defaults applied on create and update, as the real API server's defaulting and admission would add them.</summary>
    public static void Apply(ResourceType type, JsonObject obj, Func<string> allocateClusterIp)
    {
        var spec = obj["spec"] as JsonObject;
        var meta = (JsonObject)obj["metadata"]!;
        switch (type.IsCustom ? "" : type.StorageKey)
        {
            case "namespaces":
            {
                spec = ObjectRules.Ensure(obj, "spec");
                spec["finalizers"] ??= new JsonArray("kubernetes");
                var status = ObjectRules.Ensure(obj, "status");
                status["phase"] ??= "Active";
                ObjectRules.Ensure(meta, "labels")["kubernetes.io/metadata.name"] = (string?)meta["name"];
                break;
            }

            case "pods":
                DefaultPodSpec(spec, isPod: true);
                var podStatus = ObjectRules.Ensure(obj, "status");
                podStatus["phase"] ??= "Pending";
                podStatus["qosClass"] ??= QosClass(spec);
                break;
            case "deployments.apps":
                spec!["replicas"] ??= 1;
                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                spec["strategy"] ??= new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                };
                DefaultPodSpec(spec["template"]?["spec"] as JsonObject);
                break;
            case "replicasets.apps":
                spec!["replicas"] ??= 1;
                DefaultPodSpec(spec["template"]?["spec"] as JsonObject);
                break;
            case "jobs.batch":
            {
                spec!["parallelism"] ??= 1;
                spec["completions"] ??= 1;
                spec["backoffLimit"] ??= 6;
                spec["completionMode"] ??= "NonIndexed";
                spec["suspend"] ??= false;
                spec["podReplacementPolicy"] ??= "TerminatingOrFailed";
                var uid = (string?)meta["uid"] ?? "";
                var name = (string?)meta["name"] ?? "";
                if ((bool?)spec["manualSelector"] != true)
                {
                    spec["selector"] ??= new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
                    var tmeta = ObjectRules.Ensure((JsonObject)spec["template"]!, "metadata");
                    var labels = ObjectRules.Ensure(tmeta, "labels");
                    labels["batch.kubernetes.io/controller-uid"] = uid;
                    labels["batch.kubernetes.io/job-name"] = name;
                    labels["controller-uid"] = uid;
                    labels["job-name"] = name;
                    var jl = ObjectRules.Ensure(meta, "labels");
                    jl["batch.kubernetes.io/controller-uid"] ??= uid;
                    jl["batch.kubernetes.io/job-name"] ??= name;
                    jl["controller-uid"] ??= uid;
                    jl["job-name"] ??= name;
                }

                DefaultPodSpec(spec["template"]?["spec"] as JsonObject);
                break;
            }

            case "services":
            {
                spec ??= ObjectRules.Ensure(obj, "spec");
                spec["type"] ??= "ClusterIP";
                spec["sessionAffinity"] ??= "None";
                if ((string?)spec["type"] != "ExternalName")
                {
                    if (spec["clusterIP"] is null || (string?)spec["clusterIP"] == "")
                    {
                        spec["clusterIP"] = allocateClusterIp();
                    }

                    spec["clusterIPs"] ??= new JsonArray((string?)spec["clusterIP"]);
                    spec["ipFamilies"] ??= new JsonArray("IPv4");
                    spec["ipFamilyPolicy"] ??= "SingleStack";
                    spec["internalTrafficPolicy"] ??= "Cluster";
                }

                if (spec["ports"] is JsonArray ports)
                {
                    foreach (var p in ports.OfType<JsonObject>())
                    {
                        p["protocol"] ??= "TCP";
                        p["targetPort"] ??= p["port"]?.DeepClone();
                    }
                }

                ObjectRules.Ensure(obj, "status")["loadBalancer"] ??= new JsonObject();
                break;
            }

            case "secrets":
                obj["type"] ??= "Opaque";
                if (obj["stringData"] is JsonObject sd) // merged into data on every write, as the real server does
                {
                    var data = ObjectRules.Ensure(obj, "data");
                    foreach (var (k, v) in sd)
                    {
                        data[k] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(v?.ToString() ?? ""));
                    }

                    obj.Remove("stringData");
                }

                break;
            case "persistentvolumeclaims":
                spec?["volumeMode"] ??= "Filesystem";
                ObjectRules.Ensure(obj, "status")["phase"] ??= "Pending";
                break;
            case "priorityclasses.scheduling.k8s.io":
                obj["preemptionPolicy"] ??= "PreemptLowerPriority";
                break;
            case "customresourcedefinitions.apiextensions.k8s.io":
            {
                var names = (JsonObject)spec!["names"]!;
                names["singular"] ??= ((string?)names["kind"] ?? "").ToLowerInvariant();
                names["listKind"] ??= (string?)names["kind"] + "List";
                var now = (string?)meta["creationTimestamp"];
                var status = ObjectRules.Ensure(obj, "status");
                status["acceptedNames"] = names.DeepClone();
                status["storedVersions"] = new JsonArray([.. ((JsonArray)spec["versions"]!).Where(v => (bool?)v?["storage"] == true).Select(v => (JsonNode?)JsonValue.Create((string?)v?["name"]))]);
                status["conditions"] = new JsonArray(
                    Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                    Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now));
                break;
            }
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string? time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static void DefaultPodSpec(JsonObject? spec, bool isPod = false)
    {
        if (spec is null)
        {
            return;
        }

        spec["restartPolicy"] ??= "Always";
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["serviceAccountName"] ??= "default";
        spec["serviceAccount"] ??= (string?)spec["serviceAccountName"];
        spec["securityContext"] ??= new JsonObject();
        spec["enableServiceLinks"] ??= true;
        if (isPod)
        {
            spec["priority"] ??= 0;
            spec["tolerations"] ??= new JsonArray(
            new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 },
                new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (var c in containers.OfType<JsonObject>())
            {
                var image = (string?)c["image"] ?? "";
                var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                c["imagePullPolicy"] ??= !lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.EndsWith(":latest", StringComparison.Ordinal)
                    ? "Always" : "IfNotPresent";
                c["terminationMessagePath"] ??= "/dev/termination-log";
                c["terminationMessagePolicy"] ??= "File";
                c["resources"] ??= new JsonObject();
                if (c["ports"] is JsonArray ports)
                {
                    foreach (var p in ports.OfType<JsonObject>())
                    {
                        p["protocol"] ??= "TCP";
                    }
                }
            }
        }
    }

    private static string QosClass(JsonObject? spec)
    {
        var containers = (spec?["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var anyResources = containers.Any(c => (c["resources"]?["requests"] as JsonObject)?.Count > 0 || (c["resources"]?["limits"] as JsonObject)?.Count > 0);
        if (!anyResources)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
        {
            var limits = c["resources"]?["limits"] as JsonObject;
            var requests = c["resources"]?["requests"] as JsonObject;
            return limits?["cpu"] is not null && limits["memory"] is not null
                && (requests is null || ((requests["cpu"] is null || requests["cpu"]!.ToString() == limits["cpu"]!.ToString())
                    && (requests["memory"] is null || requests["memory"]!.ToString() == limits["memory"]!.ToString())));
        });
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
