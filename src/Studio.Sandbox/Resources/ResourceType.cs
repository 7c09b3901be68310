using System.Text.Json.Nodes;

namespace Studio.Sandbox.Resources;

/// <summary>A served resource (built-in kind or one version of a custom resource definition).</summary>
internal sealed record ResourceType
{
    public static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public string[] ShortNames { get; init; } = [];
    public string[] Verbs { get; init; } = AllVerbs;
    public string[] Categories { get; init; } = [];
    public bool HasStatus { get; init; }
    public bool HasScale { get; init; }
    public bool HasLog { get; init; }

    /// <summary>Name validation: true = DNS-1123 label (63 chars), false = DNS-1123 subdomain.</summary>
    public bool LabelName { get; init; }

    /// <summary>Whether the kind has a spec whose changes bump metadata.generation.</summary>
    public bool HasGeneration { get; init; }

    /// <summary>For CRD versions: the openAPIV3Schema of this version.</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>For CRD versions: the additionalPrinterColumns.</summary>
    public JsonArray? PrinterColumns { get; init; }

    /// <summary>For CRDs: name of the CustomResourceDefinition (plural.group).</summary>
    public string? CrdName { get; init; }

    /// <summary>For CRD scale subresource: JSON paths of spec and status replicas.</summary>
    public string? SpecReplicasPath { get; init; }
    public string? StatusReplicasPath { get; init; }
    public string? LabelSelectorPath { get; init; }

    /// <summary>Storage key shared by every version of the same group-resource.</summary>
    public string StorageKey => Group.Length == 0 ? Plural : Plural + "." + Group;

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public string ListKind => Kind + "List";

    public bool IsCustom => CrdName is not null;

    /// <summary>For a built-in kind served in a version other than the stored one: the stored version (see VersionConversion).</summary>
    public string? StoredAs { get; init; }

    /// <summary>Whether stored objects are rewritten for this version (multi-version custom resources, converted built-ins).</summary>
    public bool Rewrites => IsCustom || StoredAs is not null;

    public string GroupVersionPath => Group.Length == 0 ? "api/" + Version : "apis/" + Group + "/" + Version;
}
