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
internal sealed partial class ObjectService
{
    private const string RandomAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Internal retries of patches, unconditional updates and deletes that lose a write race.</summary>
    private const int MaxConflictRetries = 32;

    /// <summary>Where custom resource definitions are stored.</summary>
    internal const string CrdStorageKey = "customresourcedefinitions.apiextensions.k8s.io";
    private readonly Lock _ipGate = new();
    private int _nextIp = 10;

    public ObjectService(ObjectStore store, ResourceRegistry registry)
    {
        Store = store;
        Registry = registry;
        Collector = new GarbageCollector(this);
    }

    public ObjectStore Store { get; }
    public ResourceRegistry Registry { get; }

    private GarbageCollector Collector { get; }

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

    /// <summary>Rewrites apiVersion for multi-version custom resources (conversion strategy None); converts built-ins served in another version.</summary>
    public static JsonObject AsVersion(ResourceType t, JsonObject obj)
    {
        if (t.StoredAs is not null)
        {
            return VersionConversion.FromStorage(t, obj);
        }

        if (t.IsCustom)
        {
            obj["apiVersion"] = t.ApiVersion;
        }

        return obj;
    }

    /// <summary>The stored version's type of a built-in served in another version.</summary>
    private ResourceType Stored(ResourceType t) => Registry.Find(t.Group, t.StoredAs!, t.Plural)!;

    public JsonObject Create(ResourceType t, string? ns, JsonObject body, RequestOptions opt, List<string>? warnings = null)
    {
        if (t.StoredAs is not null)
        {
            Admission.CheckKind(t, body);
            return AsVersion(t, Create(Stored(t), ns, VersionConversion.ToStorage(t, body), opt, warnings));
        }

        ns = Ns(t, ns);
        Admission.CheckKind(t, body);
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

        ObjectDefaults.Apply(t, body, AllocateClusterIp);
        body = WriteNormalization.Reparse(body);
        meta = (JsonObject)body["metadata"]!;
        WriteNormalization.DropEmptyMetadata(meta);
        Admission.Validate(t, body, opt, warnings);

        var stored = Store.Put(Ref(t), body, null, opt.DryRun);
        if (!opt.DryRun)
        {
            AfterCreate(t, body);
        }

        return AsVersion(t, stored.ToJsonObject());
    }

    public JsonObject Update(ResourceType t, string? ns, string name, JsonObject body, RequestOptions opt, List<string>? warnings = null)
    {
        if (t.StoredAs is not null && opt.Subresource != "scale")
        {
            Admission.CheckKind(t, body);
            return AsVersion(t, Update(Stored(t), ns, name, VersionConversion.ToStorage(t, body), opt, warnings));
        }

        ns = Ns(t, ns);
        if (opt.Subresource != "scale")
        {
            Admission.CheckKind(t, body);
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

            ObjectDefaults.Apply(t, updated, AllocateClusterIp);
        }

        // A status write cannot change the spec (everything but status was copied from the old object above).
        if (t.HasGeneration && opt.Subresource != "status" && WriteNormalization.SpecChanged(old, updated, includeStatus: !t.HasStatus))
        {
            meta["generation"] = ((long?)oldMeta["generation"] ?? 1) + 1;
        }

        if (opt.Subresource == "status")
        {
            // Everything but status was copied from the stored (already JSON-backed) object: normalize only the status.
            if (updated["status"] is JsonObject newStatus)
            {
                updated["status"] = WriteNormalization.Reparse(newStatus);
            }
        }
        else
        {
            updated = WriteNormalization.Reparse(updated);
        }

        meta = (JsonObject)updated["metadata"]!;
        WriteNormalization.DropEmptyMetadata(meta);
        Admission.Validate(t, updated, opt, warnings);
        if (opt.FieldManager is not null && opt.Subresource == "status")
        {
            ManagedFields.RecordStatusUpdate(old, updated, opt.FieldManager);
        }
        else if (opt.FieldManager is not null)
        {
            ManagedFields.RecordUpdate(old, updated, opt.FieldManager);
        }

        if (WriteNormalization.SameExceptVolatile(old, updated, statusWrite: opt.Subresource == "status"))
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
            Collector.AfterRemove(t, removed, "Background");
            return AsVersion(t, removed.ToJsonObject());
        }

        var stored = Store.Put(Ref(t), updated, expected, opt.DryRun);
        if (!opt.DryRun && t.StorageKey == CrdStorageKey)
        {
            Registry.SetCustomResource(current.Name, updated);
        }

        return AsVersion(t, stored.ToJsonObject());
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

    private static string? Ns(ResourceType t, string? ns) => t.Namespaced ? ns ?? "default" : null;

    private string AllocateClusterIp()
    {
        lock (_ipGate)
        {
            var n = _nextIp++;
            return $"10.96.{n / 250}.{(n % 250) + 1}";
        }
    }

    private JsonObject UpdateScale(ResourceType t, StoredObject current, JsonObject scale, RequestOptions opt)
    {
        var obj = ScaleSubresource.WithReplicas(t, current, scale);
        var updated = CommitUpdate(t, current, obj, new RequestOptions { DryRun = opt.DryRun, FieldManager = opt.FieldManager, Trusted = opt.Trusted }, current.ResourceVersion, null);
        return ScaleSubresource.Of(t, updated);
    }

    public JsonObject GetScale(ResourceType t, string? ns, string name)
    {
        var o = Store.Get(t.StorageKey, Ns(t, ns), name) ?? throw ApiException.NotFound(t.Plural, t.Group, name);
        return ScaleSubresource.Of(t, o.ToJsonObject());
    }
}
