using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>
/// The API semantics on top of the store: validation, defaulting, metadata (uid, generation, managedFields),
/// optimistic concurrency, patching, finalizers, garbage collection and namespace termination. The HTTP layer and
/// in-process controllers both go through this class.
/// </summary>
internal sealed class ObjectService
{
    private const string RandomAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Internal retries of patches, unconditional updates and deletes that lose a write race.</summary>
    private const int MaxConflictRetries = 32;
    private readonly Lock _ipGate = new();
    private int _nextIp = 10;

    public ObjectService(ObjectStore store, ResourceRegistry registry)
    {
        Store = store;
        Registry = registry;
    }

    public ObjectStore Store { get; }
    public ResourceRegistry Registry { get; }

    /// <summary>
    /// When true (a simulated kubelet is running), deleting a pod bound to a node with a grace period only marks it
    /// (deletionTimestamp = now + grace); the kubelet removes it with a second delete with gracePeriodSeconds=0.
    /// When false (part 1: no kubelet), pods are removed at once.
    /// </summary>
    public bool GracefulPodDeletion { get; set; }

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static ResourceRef Ref(ResourceType t) => new(t.Group, t.Plural);

    public JsonObject Get(ResourceType t, string? ns, string name)
    {
        var o = Store.Get(t.StorageKey, Ns(t, ns), name) ?? throw ApiException.NotFound(t.Plural, t.Group, name);
        return AsVersion(t, o.ToJsonObject());
    }

    /// <summary>Rewrites apiVersion for multi-version custom resources (conversion strategy None).</summary>
    public static JsonObject AsVersion(ResourceType t, JsonObject obj)
    {
        if (t.IsCustom)
        {
            obj["apiVersion"] = t.ApiVersion;
        }

        return obj;
    }

    public JsonObject Create(ResourceType t, string? ns, JsonObject body, RequestOptions opt, List<string>? warnings = null)
    {
        ns = Ns(t, ns);
        CheckKind(t, body);
        var meta = ObjectRules.Ensure(body, "metadata");
        if (t.Namespaced)
        {
            var bodyNs = (string?)meta["namespace"];
            if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta["namespace"] = ns;
        }
        else
        {
            meta.Remove("namespace");
        }

        if (string.IsNullOrEmpty((string?)meta["name"]) && (string?)meta["generateName"] is { Length: > 0 } prefix)
        {
            meta["name"] = prefix + string.Concat(Enumerable.Range(0, 5).Select(_ => RandomAlphabet[Random.Shared.Next(RandomAlphabet.Length)]));
        }

        var name = (string?)meta["name"] ?? "";
        if (t.Namespaced && name.Length > 0)
        {
            CheckNamespaceWritable(t, ns!, name);
        }

        if (t.CrdName is not null && Store.Get(CrdStorageKey, null, t.CrdName) is { Deleting: true })
        {
            throw ApiException.MethodNotAllowed("create not allowed while custom resource definition is terminating");
        }

        foreach (var k in new[] { "resourceVersion", "uid", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink" })
        {
            meta.Remove(k);
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        if (t.HasGeneration)
        {
            meta["generation"] = 1;
        }

        if (t.IsCustom && t.HasStatus)
        {
            body.Remove("status");
        }

        if (opt.Subresource is not null)
        {
            throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }

        if (opt.FieldManager is not null || meta["managedFields"] is null)
        {
            meta.Remove("managedFields");
            ManagedFields.RecordUpdate(null, body, opt.FieldManager ?? "unknown");
        }

        ObjectRules.ApplyDefaults(t, body, AllocateClusterIp);
        body = Reparse(body);
        meta = (JsonObject)body["metadata"]!;
        DropEmptyMetadata(meta);
        Validate(t, body, opt, warnings);

        var stored = Store.Put(Ref(t), body, null, opt.DryRun);
        if (!opt.DryRun)
        {
            AfterCreate(t, body);
        }

        return AsVersion(t, stored.ToJsonObject());
    }

    public JsonObject Update(ResourceType t, string? ns, string name, JsonObject body, RequestOptions opt, List<string>? warnings = null)
    {
        ns = Ns(t, ns);
        if (opt.Subresource != "scale")
        {
            CheckKind(t, body);
        }

        var current = Store.Get(t.StorageKey, ns, name) ?? throw ApiException.NotFound(t.Plural, t.Group, name);
        if (opt.Subresource == "scale")
        {
            return UpdateScale(t, current, body, opt);
        }

        var bodyMeta = body["metadata"] as JsonObject;
        if ((string?)bodyMeta?["name"] is { } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        if ((string?)bodyMeta?["resourceVersion"] is { Length: > 0 } rvText)
        {
            if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var expected))
            {
                throw ApiException.BadRequest($"invalid resourceVersion \"{rvText}\"");
            }

            if (expected != current.ResourceVersion)
            {
                throw ApiException.Conflict(t.Plural, t.Group, name);
            }

            return CommitUpdate(t, current, body, opt, expected, warnings);
        }

        // No resourceVersion: an unconditional update, retried if another writer got in between.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return CommitUpdate(t, current, (JsonObject)body.DeepClone(), opt, current.ResourceVersion, warnings);
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < MaxConflictRetries)
            {
                current = Store.Get(t.StorageKey, ns, name) ?? throw ApiException.NotFound(t.Plural, t.Group, name);
            }
        }
    }

    public JsonObject Patch(ResourceType t, string? ns, string name, string contentType, string body, RequestOptions opt, List<string>? warnings = null)
    {
        ns = Ns(t, ns);
        var isApply = contentType.StartsWith("application/apply-patch", StringComparison.Ordinal);
        if (isApply && string.IsNullOrEmpty(opt.FieldManager))
        {
            throw ApiException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        JsonNode? patch;
        try
        {
            patch = isApply ? ManagedFields.ParseApplyBody(body) : JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest("error decoding patch: " + e.Message);
        }

        for (var attempt = 0; ; attempt++)
        {
            var current = Store.Get(t.StorageKey, ns, name);
            if (current is null)
            {
                if (isApply && opt.Subresource is null && patch is JsonObject applyBody)
                {
                    var created = ManagedFields.Apply(null, applyBody, opt.FieldManager!, opt.Force, false, m => ApiException.Conflict(t.Plural, t.Group, name, m));
                    var createdMeta = ObjectRules.Ensure(created, "metadata");
                    createdMeta["name"] ??= name;
                    return Create(t, ns, created, new RequestOptions { DryRun = opt.DryRun, FieldValidation = opt.FieldValidation, Trusted = opt.Trusted }, warnings);
                }

                throw ApiException.NotFound(t.Plural, t.Group, name);
            }

            var live = AsVersion(t, current.ToJsonObject());
            var target = opt.Subresource == "scale" ? ScaleOf(t, live) : live;
            JsonObject patched;
            if (isApply)
            {
                if (patch is not JsonObject applied)
                {
                    throw ApiException.BadRequest("the apply body is not an object");
                }

                if (opt.Subresource != "scale")
                {
                    CheckKind(t, applied);
                }

                patched = ManagedFields.Apply(target, applied, opt.FieldManager!, opt.Force, opt.Subresource == "status",
                    m => ApiException.Conflict(t.Plural, t.Group, name, m));
            }
            else if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
            {
                patched = Patcher.JsonPatch(target, patch as JsonArray ?? throw ApiException.BadRequest("a JSON patch must be an array of operations")) as JsonObject
                    ?? throw ApiException.BadRequest("the patch produced a non-object");
            }
            else if (contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
            {
                patched = Patcher.MergePatch(target, patch) as JsonObject ?? throw ApiException.BadRequest("the patch produced a non-object");
            }
            else if (contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal))
            {
                if (t.IsCustom)
                {
                    throw new ApiException(415, "UnsupportedMediaType", "strategic merge patch is not supported for custom resources; use a merge patch");
                }

                patched = Patcher.StrategicMerge(target, patch as JsonObject ?? throw ApiException.BadRequest("a strategic merge patch must be an object"));
            }
            else
            {
                throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
            }

            if (opt.Subresource == "scale")
            {
                return UpdateScale(t, current, patched, opt);
            }

            var patchRv = (string?)patched["metadata"]?["resourceVersion"];
            var pinned = patchRv is not null && patchRv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture)
                && (string?)(patch as JsonObject)?["metadata"]?["resourceVersion"] is not null;
            if (pinned)
            {
                throw ApiException.Conflict(t.Plural, t.Group, name);
            }

            try
            {
                var updateOpt = isApply ? new RequestOptions
                {
                    DryRun = opt.DryRun,
                    FieldManager = null,
                    FieldValidation = opt.FieldValidation,
                    Subresource = opt.Subresource,
                    Trusted = opt.Trusted,
                } : opt;
                return CommitUpdate(t, current, patched, updateOpt, current.ResourceVersion, warnings);
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < MaxConflictRetries)
            {
                // Lost a write race: re-read the object and apply the patch again, as the real server does.
            }
        }
    }

    private JsonObject CommitUpdate(ResourceType t, StoredObject current, JsonObject body, RequestOptions opt, long expected, List<string>? warnings)
    {
        var old = current.ToJsonObject();
        JsonObject updated;
        if (opt.Subresource == "status")
        {
            updated = (JsonObject)old.DeepClone();
            updated.Remove("status");
            if (body["status"] is not null)
            {
                updated["status"] = body["status"]!.DeepClone();
            }
        }
        else
        {
            updated = body;
            if (t.HasStatus)
            {
                updated.Remove("status");
                if (old["status"] is not null)
                {
                    updated["status"] = old["status"]!.DeepClone();
                }
            }
        }

        var meta = ObjectRules.Ensure(updated, "metadata");
        var oldMeta = (JsonObject)old["metadata"]!;
        foreach (var k in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            meta.Remove(k);
            if (oldMeta[k] is not null)
            {
                meta[k] = oldMeta[k]!.DeepClone();
            }
        }

        if (opt.Subresource != "status" && oldMeta["deletionTimestamp"] is not null && meta["finalizers"] is JsonArray newFinalizers)
        {
            var oldFinalizers = (oldMeta["finalizers"] as JsonArray)?.Select(f => (string?)f).ToHashSet() ?? [];
            if (newFinalizers.Any(f => !oldFinalizers.Contains((string?)f)))
            {
                throw ApiException.Invalid(t.Kind, t.Group, current.Name,
                    [FieldError.Forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted")]);
            }
        }

        if (meta["managedFields"] is null && oldMeta["managedFields"] is not null)
        {
            meta["managedFields"] = oldMeta["managedFields"]!.DeepClone();
        }

        updated["apiVersion"] = t.ApiVersion;
        updated["kind"] = t.Kind;
        if (opt.Subresource is null)
        {
            // The real server defaults on every write; an update that leaves out a cluster IP keeps the allocated one.
            if (t.StorageKey == "services" && updated["spec"] is JsonObject newSpec && string.IsNullOrEmpty((string?)newSpec["clusterIP"]) &&
                (string?)old["spec"]?["clusterIP"] is { Length: > 0 } oldIp)
            {
                newSpec["clusterIP"] = oldIp;
                newSpec["clusterIPs"] = old["spec"]?["clusterIPs"]?.DeepClone();
            }

            ObjectRules.ApplyDefaults(t, updated, AllocateClusterIp);
        }

        if (t.HasGeneration && SpecChanged(old, updated, includeStatus: !t.HasStatus))
        {
            meta["generation"] = ((long?)oldMeta["generation"] ?? 1) + 1;
        }

        updated = Reparse(updated);
        meta = (JsonObject)updated["metadata"]!;
        DropEmptyMetadata(meta);
        Validate(t, updated, opt, warnings);
        if (opt.FieldManager is not null)
        {
            ManagedFields.RecordUpdate(old, updated, opt.FieldManager);
        }

        if (JsonNode.DeepEquals(StripVolatile(old), StripVolatile(updated)))
        {
            return AsVersion(t, old); // no-op updates keep the resourceVersion, as the real server does
        }

        if (meta["deletionTimestamp"] is not null && (meta["finalizers"] as JsonArray)?.Count is null or 0)
        {
            if (opt.DryRun)
            {
                return AsVersion(t, updated);
            }

            var removed = Store.Remove(Ref(t), current.Namespace.Length == 0 ? null : current.Namespace, current.Name, expected)!;
            AfterRemove(t, removed, "Background");
            return AsVersion(t, removed.ToJsonObject());
        }

        var stored = Store.Put(Ref(t), updated, expected, opt.DryRun);
        if (!opt.DryRun && t.StorageKey == CrdStorageKey)
        {
            Registry.SetCustomResource(current.Name, updated);
        }

        return AsVersion(t, stored.ToJsonObject());
    }

    /// <summary>Drops empty metadata collections, which the real server omits.</summary>
    private static void DropEmptyMetadata(JsonObject meta)
    {
        foreach (var k in new[] { "labels", "annotations", "finalizers", "ownerReferences", "managedFields" })
        {
            if (meta[k] is JsonObject { Count: 0 } or JsonArray { Count: 0 })
            {
                meta.Remove(k);
            }
        }
    }

    /// <summary>Round-trips through UTF-8 so that every value is JSON-backed (numeric conversions then always work).</summary>
    public static JsonObject Reparse(JsonObject o) => JsonNode.Parse(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(o, SandboxJson.Options))!.AsObject();

    private static JsonObject StripVolatile(JsonObject o)
    {
        var c = (JsonObject)o.DeepClone();
        if (c["metadata"] is JsonObject m)
        {
            m.Remove("resourceVersion");
            foreach (var entry in (m["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
            {
                entry.Remove("time");
            }
        }

        return c;
    }

    /// <summary>Whether anything but metadata (and status, for kinds with a status subresource) changed: that bumps generation.</summary>
    private static bool SpecChanged(JsonObject old, JsonObject updated, bool includeStatus)
    {
        JsonObject Core(JsonObject o)
        {
            var c = new JsonObject();
            foreach (var (k, v) in o)
            {
                if (k is not ("metadata" or "apiVersion" or "kind") && (includeStatus || k != "status"))
                {
                    c[k] = v?.DeepClone();
                }
            }

            return c;
        }

        return !JsonNode.DeepEquals(Core(old), Core(updated));
    }

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
        var crdStorage = t.StorageKey == CrdStorageKey ? CustomStorageKeys(name) : [];
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
                finalizers.Add(CrdCleanupFinalizer);
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
                    DeleteQuietly(d, "Foreground");
                }

                CompleteForeground(current.Uid);
            }

            if (isNamespace)
            {
                TerminateNamespace(name);
            }

            if (isCrdWithObjects)
            {
                foreach (var storageKey in crdStorage)
                {
                    var (items, _, _, _) = Store.List(storageKey, null, null, 0, null);
                    foreach (var o in items.Where(o => !o.Deleting))
                    {
                        DeleteQuietly(o, "Background");
                    }
                }

                FinishCrdIfEmpty(name);
            }

            var latest = Store.Get(t.StorageKey, ns, name);
            return AsVersion(t, (latest ?? stored).ToJsonObject());
        }

        if (policy == "Orphan")
        {
            Orphan(current.Uid);
        }

        var removed = Store.Remove(Ref(t), ns, name, current.ResourceVersion) ?? throw ApiException.NotFound(t.Plural, t.Group, name);
        AfterRemove(t, removed, policy);
        return AsVersion(t, removed.ToJsonObject());
    }

    private void Orphan(string ownerUid)
    {
        foreach (var d in Store.Dependents(ownerUid))
        {
            var dt = Registry.ForStorage(d.StorageKey).FirstOrDefault();
            if (dt is null)
            {
                continue;
            }

            var json = d.ToJsonObject();
            if (json["metadata"]?["ownerReferences"] is JsonArray refs)
            {
                foreach (var r in refs.Where(r => (string?)r?["uid"] == ownerUid).ToList())
                {
                    refs.Remove(r);
                }

                if (refs.Count == 0)
                {
                    ((JsonObject)json["metadata"]!).Remove("ownerReferences");
                }
            }

            try
            {
                Store.Put(Ref(dt), json, d.ResourceVersion);
            }
            catch (ApiException)
            {
                // Changed or gone meanwhile; orphaning is best effort, as in the real garbage collector.
            }
        }
    }

    private void AfterCreate(ResourceType t, JsonObject obj)
    {
        var name = (string?)obj["metadata"]?["name"] ?? "";
        if (t.StorageKey == CrdStorageKey)
        {
            Registry.SetCustomResource(name, obj);
        }
        else if (t.StorageKey == "namespaces")
        {
            var sa = Registry.Find("", "v1", "serviceaccounts")!;
            try
            {
                Create(sa, name, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = "default" } },
                    RequestOptions.Default);
            }
            catch (ApiException)
            {
                // Already there.
            }
        }
    }

    /// <summary>Garbage collection and termination bookkeeping after an object is gone.</summary>
    private void AfterRemove(ResourceType t, StoredObject removed, string policy)
    {
        if (t.CrdName is not null)
        {
            FinishCrdIfEmpty(t.CrdName);
        }

        if (t.StorageKey == CrdStorageKey)
        {
            var crdTypes = Registry.All.Where(x => x.CrdName == removed.Name).ToList();
            foreach (var storageKey in crdTypes.Select(x => x.StorageKey).Distinct())
            {
                var rt = crdTypes.First(x => x.StorageKey == storageKey);
                while (true)
                {
                    var (items, _, _, _) = Store.List(storageKey, null, null, 500, null);
                    if (items.Count == 0)
                    {
                        break;
                    }

                    foreach (var i in items)
                    {
                        Store.Remove(Ref(rt), i.Namespace.Length == 0 ? null : i.Namespace, i.Name);
                    }
                }
            }

            Registry.SetCustomResource(removed.Name, null);
        }

        if (policy != "Orphan")
        {
            foreach (var d in Store.Dependents(removed.Uid))
            {
                DeleteQuietly(d, "Background");
            }
        }

        foreach (var owner in removed.OwnerUids)
        {
            CompleteForeground(owner);
        }

        if (removed.Namespace.Length > 0)
        {
            var ns = Store.Get("namespaces", null, removed.Namespace);
            if (ns is { Deleting: true })
            {
                FinishNamespaceIfEmpty(ns);
            }
        }
    }

    private const string CrdStorageKey = "customresourcedefinitions.apiextensions.k8s.io";
    private const string CrdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    private List<string> CustomStorageKeys(string crdName) =>
        [.. Registry.All.Where(x => x.CrdName == crdName).Select(x => x.StorageKey).Distinct()];

    /// <summary>Removes a terminating CRD once its last custom resource is gone.</summary>
    private void FinishCrdIfEmpty(string crdName)
    {
        var crd = Store.Get(CrdStorageKey, null, crdName);
        if (crd is not { Deleting: true } || CustomStorageKeys(crdName).Any(k => Store.Count(k) > 0))
        {
            return;
        }

        var json = crd.ToJsonObject();
        if (json["metadata"]?["finalizers"] is JsonArray f)
        {
            foreach (var x in f.Where(x => (string?)x == CrdCleanupFinalizer).ToList())
            {
                f.Remove(x);
            }
        }

        var t = Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        try
        {
            if ((json["metadata"]?["finalizers"] as JsonArray)?.Count is null or 0)
            {
                var removed = Store.Remove(Ref(t), null, crdName, crd.ResourceVersion);
                if (removed is not null)
                {
                    AfterRemove(t, removed, "Background");
                }
            }
            else
            {
                Store.Put(Ref(t), json, crd.ResourceVersion);
            }
        }
        catch (ApiException)
        {
            // Raced with another change; the next removal re-checks.
        }
    }

    private void DeleteQuietly(StoredObject o, string policy)
    {
        var dt = Registry.ForStorage(o.StorageKey).FirstOrDefault();
        if (dt is null)
        {
            return;
        }

        try
        {
            Delete(dt, o.Namespace.Length == 0 ? null : o.Namespace, o.Name, new RequestOptions { PropagationPolicy = policy });
        }
        catch (ApiException)
        {
            // Already gone.
        }
    }

    private void CompleteForeground(string ownerUid)
    {
        var owner = Store.GetByUid(ownerUid);
        if (owner is not { Deleting: true } || Store.Dependents(ownerUid).Count > 0)
        {
            return;
        }

        var json = owner.ToJsonObject();
        if (json["metadata"]?["finalizers"] is not JsonArray f || !f.Any(x => (string?)x == "foregroundDeletion"))
        {
            return;
        }

        foreach (var x in f.Where(x => (string?)x == "foregroundDeletion").ToList())
        {
            f.Remove(x);
        }

        var ot = Registry.ForStorage(owner.StorageKey).FirstOrDefault();
        if (ot is null)
        {
            return;
        }

        try
        {
            if (f.Count == 0)
            {
                var removed = Store.Remove(Ref(ot), owner.Namespace.Length == 0 ? null : owner.Namespace, owner.Name, owner.ResourceVersion);
                if (removed is not null)
                {
                    AfterRemove(ot, removed, "Background");
                }
            }
            else
            {
                Store.Put(Ref(ot), json, owner.ResourceVersion);
            }
        }
        catch (ApiException)
        {
            // Raced with another change; the next removal re-checks.
        }
    }

    private void TerminateNamespace(string ns)
    {
        foreach (var storageKey in Store.StorageKeysIn(ns))
        {
            var types = Registry.ForStorage(storageKey);
            if (types.Count == 0)
            {
                continue;
            }

            string? after = null;
            while (true)
            {
                var (items, _, last, more) = Store.List(storageKey, ns, after, 500, null);
                foreach (var o in items.Where(o => !o.Deleting))
                {
                    DeleteQuietly(o, "Background");
                }

                if (!more)
                {
                    break;
                }

                after = last;
            }
        }

        var nsObj = Store.Get("namespaces", null, ns);
        if (nsObj is not null)
        {
            FinishNamespaceIfEmpty(nsObj);
        }
    }

    private void FinishNamespaceIfEmpty(StoredObject ns)
    {
        if (Store.NamespaceHasObjects(ns.Name))
        {
            return;
        }

        var t = Registry.Find("", "v1", "namespaces")!;
        try
        {
            Store.Remove(Ref(t), null, ns.Name);
        }
        catch (ApiException)
        {
            // Changed meanwhile; a later removal finishes it.
        }
    }

    private void CheckNamespaceWritable(ResourceType t, string ns, string name)
    {
        var nsObj = Store.Get("namespaces", null, ns);
        if (nsObj is null)
        {
            throw ApiException.NotFound("namespaces", "", ns);
        }

        if (nsObj.Deleting)
        {
            throw ApiException.Forbidden(t.Plural, t.Group, name,
                $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private void Validate(ResourceType t, JsonObject obj, RequestOptions opt, List<string>? warnings)
    {
        var errors = new List<FieldError>();
        ObjectRules.ValidateMetadata(t, (JsonObject)obj["metadata"]!, errors);
        if (t.Schema is not null)
        {
            var unknown = new List<string>();
            SchemaValidator.Validate(obj, t.Schema, errors, unknown);
            if (unknown.Count > 0)
            {
                if (opt.FieldValidation == "Strict")
                {
                    throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
                }

                if (opt.FieldValidation == "Warn")
                {
                    warnings?.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                }
            }
        }

        ObjectRules.ValidateSpec(t, obj, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(t.Kind, t.Group, (string?)obj["metadata"]?["name"] ?? "", errors);
        }

        var unknownFields = opt.Trusted ? [] : ObjectRules.CheckTyped(t, obj);
        if (unknownFields.Count > 0)
        {
            if (opt.FieldValidation == "Strict")
            {
                throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknownFields.Select(u => $"unknown field \"{u}\"")));
            }

            if (opt.FieldValidation == "Warn")
            {
                warnings?.AddRange(unknownFields.Select(u => $"unknown field \"{u}\""));
            }
        }
    }

    private static void CheckKind(ResourceType t, JsonObject body)
    {
        var kind = (string?)body["kind"];
        var apiVersion = (string?)body["apiVersion"];
        if (kind is not null && kind != t.Kind)
        {
            throw ApiException.BadRequest($"{kind} in version \"{t.Version}\" cannot be handled as a {t.Kind}: kind {kind} does not match {t.Kind}");
        }

        if (apiVersion is not null && apiVersion != t.ApiVersion && !(t.IsCustom && apiVersion.StartsWith(t.Group + "/", StringComparison.Ordinal)))
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({t.ApiVersion})");
        }

        body["apiVersion"] = t.ApiVersion;
        body["kind"] = t.Kind;
    }

    private static string? Ns(ResourceType t, string? ns) => t.Namespaced ? ns ?? "default" : null;

    private string AllocateClusterIp()
    {
        lock (_ipGate)
        {
            var n = _nextIp++;
            return $"10.96.{n / 250}.{(n % 250) + 1}";
        }
    }

    // ---- scale subresource ----

    public JsonObject GetScale(ResourceType t, string? ns, string name)
    {
        var o = Store.Get(t.StorageKey, Ns(t, ns), name) ?? throw ApiException.NotFound(t.Plural, t.Group, name);
        return ScaleOf(t, o.ToJsonObject());
    }

    private static JsonObject ScaleOf(ResourceType t, JsonObject obj)
    {
        var meta = (JsonObject)obj["metadata"]!;
        var selector = t.IsCustom
            ? (t.LabelSelectorPath is null ? null : At(obj, t.LabelSelectorPath)?.ToString())
            : (obj["spec"]?["selector"] is JsonObject sel ? LabelSelector.FromObject(sel).ToString() : null);
        var status = new JsonObject { ["replicas"] = (At(obj, t.StatusReplicasPath ?? ".status.replicas")?.DeepClone()) ?? 0 };
        if (selector is not null)
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = At(obj, t.SpecReplicasPath ?? ".spec.replicas")?.DeepClone() ?? 0 },
            ["status"] = status,
        };
    }

    private JsonObject UpdateScale(ResourceType t, StoredObject current, JsonObject scale, RequestOptions opt)
    {
        var replicas = scale["spec"]?["replicas"];
        if (replicas is null || replicas.GetValueKind() != System.Text.Json.JsonValueKind.Number || (long)replicas < 0)
        {
            throw ApiException.Invalid("Scale", "autoscaling", current.Name,
                [FieldError.Invalid("spec.replicas", replicas?.ToJsonString() ?? "null", "must be greater than or equal to 0")]);
        }

        if ((string?)scale["metadata"]?["resourceVersion"] is { Length: > 0 } rv && rv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw ApiException.Conflict(t.Plural, t.Group, current.Name);
        }

        var obj = current.ToJsonObject();
        var path = (t.SpecReplicasPath ?? ".spec.replicas").TrimStart('.').Split('.');
        var node = obj;
        foreach (var seg in path[..^1])
        {
            node = ObjectRules.Ensure(node, seg);
        }

        node[path[^1]] = (long)replicas;
        var updated = CommitUpdate(t, current, obj, new RequestOptions { DryRun = opt.DryRun, FieldManager = opt.FieldManager, Trusted = opt.Trusted }, current.ResourceVersion, null);
        return ScaleOf(t, updated);
    }

    private static JsonNode? At(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var seg in path.TrimStart('.').Split('.'))
        {
            node = (node as JsonObject)?[seg];
        }

        return node;
    }
}
