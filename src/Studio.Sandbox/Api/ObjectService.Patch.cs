using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Patch: server-side apply, JSON patch, merge patch and strategic merge patch, retried on lost write races.</summary>
internal sealed partial class ObjectService
{
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
                    try
                    {
                        return Create(t, ns, created, new RequestOptions { DryRun = opt.DryRun, FieldValidation = opt.FieldValidation, Trusted = opt.Trusted }, warnings);
                    }
                    catch (ApiException e) when (e.Reason == "AlreadyExists" && attempt < MaxConflictRetries)
                    {
                        // Another apply created it first (two jobs applying one shared PriorityClass): apply onto
                        // theirs, as the real server does, instead of answering 409.
                        continue;
                    }
                }

                throw ApiException.NotFound(t.Plural, t.Group, name);
            }

            var live = AsVersion(t, current.ToJsonObject());
            var target = opt.Subresource == "scale" ? ScaleSubresource.Of(t, live) : live;
            JsonObject patched;
            if (isApply)
            {
                if (patch is not JsonObject applied)
                {
                    throw ApiException.BadRequest("the apply body is not an object");
                }

                if (opt.Subresource != "scale")
                {
                    Admission.CheckKind(t, applied);
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
                return t.StoredAs is null
                    ? CommitUpdate(t, current, patched, updateOpt, current.ResourceVersion, warnings)
                    : AsVersion(t, CommitUpdate(Stored(t), current, VersionConversion.ToStorage(t, patched), updateOpt, current.ResourceVersion, warnings));
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < MaxConflictRetries)
            {
                // Lost a write race: re-read the object and apply the patch again, as the real server does.
            }
        }
    }
}
