using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Legacy discovery documents (/api, /apis, per group-version resource lists) and the OpenAPI v3 index.</summary>
internal static class Discovery
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-sandbox",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject ApiGroupList(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. registry.Groups.Where(g => g.Group.Length > 0).Select(g => (JsonNode)Group(g.Group, g.Versions))]),
    };

    public static JsonObject? ApiGroup(ResourceRegistry registry, string group)
    {
        var g = registry.Groups.FirstOrDefault(x => x.Group == group);
        return g.Versions is null ? null : Group(group, g.Versions);
    }

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var gv = versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = group + "/" + v, ["version"] = v }).ToList();
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. gv]),
            ["preferredVersion"] = gv[0].DeepClone(),
        };
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            var r = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray([.. t.Verbs.Select(v => (JsonNode)v)]),
            };
            if (t.ShortNames.Length > 0)
            {
                r["shortNames"] = new JsonArray([.. t.ShortNames.Select(s => (JsonNode)s)]);
            }

            if (t.Categories.Length > 0)
            {
                r["categories"] = new JsonArray([.. t.Categories.Select(s => (JsonNode)s)]);
            }

            r["storageVersionHash"] = Hash(t.StorageKey);
            resources.Add(r);
            if (t.HasStatus)
            {
                resources.Add(Sub(t, "status", t.Kind, ["get", "patch", "update"]));
            }

            if (t.HasScale)
            {
                var scale = Sub(t, "scale", "Scale", ["get", "patch", "update"]);
                scale["group"] = "autoscaling";
                scale["version"] = "v1";
                resources.Add(scale);
            }

            if (t.HasLog)
            {
                resources.Add(Sub(t, "log", "Pod", ["get"]));
                var eviction = Sub(t, "eviction", "Eviction", ["create"]);
                eviction["group"] = "policy";
                eviction["version"] = "v1";
                resources.Add(eviction);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    /// <summary>The content type of aggregated discovery (apidiscovery.k8s.io/v2) responses.</summary>
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    /// <summary>Aggregated discovery for <c>/api</c> (<paramref name="core"/>) or <c>/apis</c>: every group, version and resource in one document.</summary>
    public static JsonObject Aggregated(ResourceRegistry registry, bool core)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in registry.Groups.Where(g => (g.Group.Length == 0) == core))
        {
            var versionList = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var t in registry.All.Where(x => x.Group == group && x.Version == version))
                {
                    var r = new JsonObject
                    {
                        ["resource"] = t.Plural,
                        ["responseKind"] = Gvk(t.Group, t.Version, t.Kind),
                        ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = t.Singular,
                        ["verbs"] = new JsonArray([.. t.Verbs.Select(v => (JsonNode)v)]),
                    };
                    if (t.ShortNames.Length > 0)
                    {
                        r["shortNames"] = new JsonArray([.. t.ShortNames.Select(n => (JsonNode)n)]);
                    }

                    if (t.Categories.Length > 0)
                    {
                        r["categories"] = new JsonArray([.. t.Categories.Select(n => (JsonNode)n)]);
                    }

                    var subs = new JsonArray();
                    if (t.HasStatus)
                    {
                        subs.Add(new JsonObject { ["subresource"] = "status", ["responseKind"] = Gvk(t.Group, t.Version, t.Kind), ["verbs"] = new JsonArray("get", "patch", "update") });
                    }

                    if (t.HasScale)
                    {
                        subs.Add(new JsonObject { ["subresource"] = "scale", ["responseKind"] = Gvk("autoscaling", "v1", "Scale"), ["verbs"] = new JsonArray("get", "patch", "update") });
                    }

                    if (t.HasLog)
                    {
                        subs.Add(new JsonObject { ["subresource"] = "log", ["responseKind"] = Gvk("", "v1", "Pod"), ["verbs"] = new JsonArray("get") });
                        subs.Add(new JsonObject { ["subresource"] = "eviction", ["responseKind"] = Gvk("policy", "v1", "Eviction"), ["verbs"] = new JsonArray("create") });
                    }

                    if (subs.Count > 0)
                    {
                        r["subresources"] = subs;
                    }

                    resources.Add(r);
                }

                versionList.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject
            {
                ["metadata"] = group.Length == 0 ? new JsonObject() : new JsonObject { ["name"] = group },
                ["versions"] = versionList,
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject Gvk(string group, string version, string kind) => new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonObject Sub(ResourceType t, string name, string kind, string[] verbs) => new()
    {
        ["name"] = t.Plural + "/" + name,
        ["singularName"] = "",
        ["namespaced"] = t.Namespaced,
        ["kind"] = kind,
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
    };

    private static string Hash(string s) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)))[..11];

    /// <summary><c>/openapi/v3</c>: one entry per served group-version.</summary>
    public static JsonObject OpenApiIndex(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var gvPath in registry.All.Select(t => t.GroupVersionPath).Distinct())
        {
            var (group, version) = Split(gvPath);
            paths[gvPath] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + gvPath + "?hash=" + DocHash(registry, group, version) };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static (string Group, string Version) Split(string gvPath)
    {
        var parts = gvPath.Split('/');
        return parts[0] == "api" ? ("", parts[1]) : (parts[1], parts[2]);
    }

    private static string DocHash(ResourceRegistry registry, string group, string version)
    {
        var key = string.Join(";", registry.All.Where(t => t.Group == group && t.Version == version)
            .Select(t => t.Plural + (t.Schema?.ToJsonString() ?? "")));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16];
    }

    /// <summary>
    /// A per group-version OpenAPI v3 document: a PATCH operation per kind tagged with its GVK and a fieldValidation parameter
    /// (what kubectl needs to use server-side field validation), plus a schema per kind (the CRD schema for custom resources).
    /// </summary>
    public static JsonObject? OpenApiDocument(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in types)
        {
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
            var schemaName = SchemaName(t);
            var basePath = "/" + t.GroupVersionPath + (t.Namespaced ? "/namespaces/{namespace}/" : "/") + t.Plural + "/{name}";
            var parameters = new JsonArray(
                new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } });
            var refSchema = t.Schema is null ? null : new JsonObject { ["$ref"] = "#/components/schemas/" + schemaName };
            paths[basePath] = new JsonObject
            {
                ["get"] = Operation("read" + t.Kind, gvk, null, refSchema),
                ["put"] = Operation("replace" + t.Kind, gvk, (JsonArray)parameters.DeepClone(), refSchema),
                ["patch"] = Operation("patch" + t.Kind, gvk, (JsonArray)parameters.DeepClone(), refSchema),
                ["delete"] = Operation("delete" + t.Kind, gvk, null, refSchema),
            };
            // Built-in kinds get no schema: kubectl then falls back to its compiled-in strategic-merge metadata.
            if (t.Schema?.DeepClone() is JsonObject schema)
            {
                schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
                schemas[schemaName] = schema;
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0-sandbox" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(string id, JsonObject gvk, JsonArray? parameters, JsonObject? schema)
    {
        var op = new JsonObject
        {
            ["operationId"] = id,
            ["x-kubernetes-action"] = id.StartsWith("patch", StringComparison.Ordinal) ? "patch" : id.StartsWith("replace", StringComparison.Ordinal) ? "put" : id.StartsWith("read", StringComparison.Ordinal) ? "get" : "delete",
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
            ["responses"] = new JsonObject
            {
                ["200"] = schema is null
                    ? new JsonObject { ["description"] = "OK" }
                    : new JsonObject
                    {
                        ["description"] = "OK",
                        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema.DeepClone() } },
                    },
            },
        };
        if (parameters is not null)
        {
            op["parameters"] = parameters;
        }

        return op;
    }

    private static string SchemaName(ResourceType t)
    {
        var g = t.Group.Length == 0 ? "core" : t.Group;
        var reversed = string.Join(".", g.Split('.').Reverse());
        return t.IsCustom ? $"{reversed}.{t.Version}.{t.Kind}" : $"io.k8s.api.{g.Split('.')[0]}.{t.Version}.{t.Kind}";
    }
}
