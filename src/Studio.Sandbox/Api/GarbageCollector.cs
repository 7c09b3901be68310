using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>
/// What follows a deletion, as the real garbage collector and the namespace and CRD controllers do it: dependents are
/// deleted (background, foreground) or orphaned, foreground owners go once their last dependent is gone, and a
/// terminating namespace or custom resource definition goes once it is empty.
/// </summary>
internal sealed class GarbageCollector(ObjectService service)
{
    /// <summary>The finalizer that keeps a terminating CRD until its custom resources are gone.</summary>
    public const string CrdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    private ObjectStore Store => service.Store;

    private ResourceRegistry Registry => service.Registry;

    public void Orphan(string ownerUid)
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
                Store.Put(ObjectService.Ref(dt), json, d.ResourceVersion);
            }
            catch (ApiException)
            {
                // Changed or gone meanwhile; orphaning is best effort, as in the real garbage collector.
            }
        }
    }

    /// <summary>Garbage collection and termination bookkeeping after an object is gone.</summary>
    public void AfterRemove(ResourceType t, StoredObject removed, string policy)
    {
        if (t.CrdName is not null)
        {
            FinishCrdIfEmpty(t.CrdName);
        }

        if (t.StorageKey == ObjectService.CrdStorageKey)
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
                        Store.Remove(ObjectService.Ref(rt), i.Namespace.Length == 0 ? null : i.Namespace, i.Name);
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

    public List<string> CustomStorageKeys(string crdName) =>
        [.. Registry.All.Where(x => x.CrdName == crdName).Select(x => x.StorageKey).Distinct()];

    /// <summary>Removes a terminating CRD once its last custom resource is gone.</summary>
    public void FinishCrdIfEmpty(string crdName)
    {
        var crd = Store.Get(ObjectService.CrdStorageKey, null, crdName);
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
                var removed = Store.Remove(ObjectService.Ref(t), null, crdName, crd.ResourceVersion);
                if (removed is not null)
                {
                    AfterRemove(t, removed, "Background");
                }
            }
            else
            {
                Store.Put(ObjectService.Ref(t), json, crd.ResourceVersion);
            }
        }
        catch (ApiException)
        {
            // Raced with another change; the next removal re-checks.
        }
    }

    public void DeleteQuietly(StoredObject o, string policy)
    {
        var dt = Registry.ForStorage(o.StorageKey).FirstOrDefault();
        if (dt is null)
        {
            return;
        }

        try
        {
            service.Delete(dt, o.Namespace.Length == 0 ? null : o.Namespace, o.Name, new RequestOptions { PropagationPolicy = policy });
        }
        catch (ApiException)
        {
            // Already gone.
        }
    }

    public void CompleteForeground(string ownerUid)
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
                var removed = Store.Remove(ObjectService.Ref(ot), owner.Namespace.Length == 0 ? null : owner.Namespace, owner.Name, owner.ResourceVersion);
                if (removed is not null)
                {
                    AfterRemove(ot, removed, "Background");
                }
            }
            else
            {
                Store.Put(ObjectService.Ref(ot), json, owner.ResourceVersion);
            }
        }
        catch (ApiException)
        {
            // Raced with another change; the next removal re-checks.
        }
    }

    public void TerminateNamespace(string ns)
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
            Store.Remove(ObjectService.Ref(t), null, ns.Name);
        }
        catch (ApiException)
        {
            // Changed meanwhile; a later removal finishes it.
        }
    }
}
