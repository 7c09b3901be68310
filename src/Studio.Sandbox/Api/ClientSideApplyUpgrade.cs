using System.Text.Json;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>
/// The API server's documented upgrade path from client-side to server-side apply ("Upgrading from client-side apply to
/// server-side apply"): <c>kubectl apply --server-side</c> (field manager <c>kubectl</c>) on an object that carries the
/// <c>kubectl.kubernetes.io/last-applied-configuration</c> annotation takes over, without conflict, every field that
/// annotation lists (the fields <c>kubectl apply</c> set), and keeps the annotation in step with what it applied, so a
/// later client-side apply still computes the right three-way diff. Conflicts on other fields are still reported.
/// </summary>
internal static class ClientSideApplyUpgrade
{
    public const string Manager = "kubectl";
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Whether an apply by <paramref name="manager"/> to <paramref name="live"/> takes part in the upgrade.</summary>
    public static bool Applies(JsonObject? live, string manager) => manager == Manager && LastApplied(live) is not null;

    /// <summary>The fields of the last client-side apply (as leaf paths) that the live object still has.</summary>
    public static HashSet<string> AllowedConflicts(JsonObject live, Func<JsonObject, IEnumerable<string>> paths)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        if (LastApplied(live) is not { } text)
        {
            return allowed;
        }

        try
        {
            if (JsonNode.Parse(text) is JsonObject lastApplied)
            {
                allowed.UnionWith(paths(lastApplied));
                allowed.IntersectWith(paths(live));
            }
        }
        catch (JsonException)
        {
            // An annotation that is not JSON allows nothing, as on a real server.
        }

        return allowed;
    }

    /// <summary>Sets the annotation of <paramref name="merged"/> to the applied configuration (without the annotation itself).</summary>
    public static void SyncLastApplied(JsonObject merged, JsonObject applied)
    {
        var config = (JsonObject)applied.DeepClone();
        if (config["metadata"]?["annotations"] is JsonObject own)
        {
            own.Remove(LastAppliedAnnotation);
            if (own.Count == 0)
            {
                ((JsonObject)config["metadata"]!).Remove("annotations");
            }
        }

        if (merged["metadata"] is JsonObject meta)
        {
            var annotations = meta["annotations"] as JsonObject ?? [];
            annotations[LastAppliedAnnotation] = config.ToJsonString();
            meta["annotations"] = annotations;
        }
    }

    private static string? LastApplied(JsonObject? live) => (string?)live?["metadata"]?["annotations"]?[LastAppliedAnnotation];
}
