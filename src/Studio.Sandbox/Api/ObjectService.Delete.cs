using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Delete: preconditions, graceful pod deletion, finalizers, propagation policies (orphan, background, foreground).</summary>
internal sealed partial class ObjectService
{
    public JsonObject Delete(ResourceType t, string? ns, string name, RequestOptions opt)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return DeleteOnce(t, ns, name, opt);
            }
            catch (ApiException e) when (e.Reason == "Conflict" && opt.PreconditionUid is null && opt.PreconditionResourceVersion is null && attempt < MaxConflictRetries)
            {
                // Another writer changed the object between read and delete: retry, as the real server does.
            }
        }
    }

    private JsonObject DeleteOnce(ResourceType t, string? ns, string name, RequestOptions opt)
    {
        ns = Ns(t, ns);
        var current = Store.Get(t.StorageKey, ns, name) ?? throw ApiException.NotFound(t.Plural, t.Group, name);
        if (opt.PreconditionUid is not null && opt.PreconditionUid != current.Uid)
        {
            throw ApiException.Conflict(t.Plural, t.Group, name,
                $"Precondition failed: UID in precondition: {opt.PreconditionUid}, UID in object meta: {current.Uid}");
        }

        if (opt.PreconditionResourceVersion is not null && opt.PreconditionResourceVersion != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw ApiException.Conflict(t.Plural, t.Group, name,
                $"Precondition failed: ResourceVersion in precondition: {opt.PreconditionResourceVersion}, ResourceVersion in object meta: {current.ResourceVersion}");
        }

        if (opt.DryRun)
        {
            return AsVersion(t, current.ToJsonObject());
        }

        var policy = opt.PropagationPolicy ?? (t.StorageKey == "jobs.batch" ? "Orphan" : "Background");
        var obj = current.ToJsonObject();
        var meta = (JsonObject)obj["metadata"]!;
        var finalizers = meta["finalizers"] as JsonArray ?? [];
        var isNamespace = t.StorageKey == "namespaces";
        var crdStorage = t.StorageKey == CrdStorageKey ? Collector.CustomStorageKeys(name) : [];
        var isCrdWithObjects = crdStorage.Any(k => Store.Count(k) > 0);
        if (GracefulPodDeletion && t.StorageKey == "pods" && obj["spec"]?["nodeName"] is not null)
        {
            var grace = opt.GracePeriodSeconds ?? (long?)obj["spec"]?["terminationGracePeriodSeconds"] ?? 30;
            if (grace > 0)
            {
                if (current.Deleting)
                {
                    return AsVersion(t, obj);
                }

                meta["deletionTimestamp"] = DateTime.UtcNow.AddSeconds(grace).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                meta["deletionGracePeriodSeconds"] = grace;
                return AsVersion(t, Store.Put(Ref(t), obj, current.ResourceVersion).ToJsonObject());
            }
        }

        var foreground = policy == "Foreground" && Store.Dependents(current.Uid).Count > 0;
        if (finalizers.Count > 0 || foreground || isNamespace || isCrdWithObjects)
        {
            if (current.Deleting)
            {
                return AsVersion(t, obj);
            }

            meta["deletionTimestamp"] = Now();
            meta["deletionGracePeriodSeconds"] = 0;
            if (isCrdWithObjects)
            {
                // Like the real server: the CRD stays Terminating until every custom resource (and its finalizers) is gone.
                finalizers.Add(GarbageCollector.CrdCleanupFinalizer);
                meta["finalizers"] = finalizers;
                var conditions = ObjectRules.Ensure(obj, "status")["conditions"] as JsonArray ?? [];
                conditions.Add(new JsonObject
                {
                    ["type"] = "Terminating",
                    ["status"] = "True",
                    ["lastTransitionTime"] = Now(),
                    ["reason"] = "InstanceDeletionInProgress",
                    ["message"] = "CustomResource deletion is in progress",
                });
                obj["status"]!["conditions"] = conditions;
            }

            if (foreground)
            {
                finalizers.Add("foregroundDeletion");
                meta["finalizers"] = finalizers;
            }

            if (isNamespace)
            {
                ObjectRules.Ensure(obj, "status")["phase"] = "Terminating";
            }

            var stored = Store.Put(Ref(t), obj, current.ResourceVersion);
            if (foreground)
            {
                foreach (var d in Store.Dependents(current.Uid))
                {
                    Collector.DeleteQuietly(d, "Foreground");
                }

                Collector.CompleteForeground(current.Uid);
            }

            if (isNamespace)
            {
                Collector.TerminateNamespace(name);
            }

            if (isCrdWithObjects)
            {
                foreach (var storageKey in crdStorage)
                {
                    var (items, _, _, _) = Store.List(storageKey, null, null, 0, null);
                    foreach (var o in items.Where(o => !o.Deleting))
                    {
                        Collector.DeleteQuietly(o, "Background");
                    }
                }

                Collector.FinishCrdIfEmpty(name);
            }

            var latest = Store.Get(t.StorageKey, ns, name);
            return AsVersion(t, (latest ?? stored).ToJsonObject());
        }

        if (policy == "Orphan")
        {
            Collector.Orphan(current.Uid);
        }

        var removed = Store.Remove(Ref(t), ns, name, current.ResourceVersion) ?? throw ApiException.NotFound(t.Plural, t.Group, name);
        Collector.AfterRemove(t, removed, policy);
        return AsVersion(t, removed.ToJsonObject());
    }
}
