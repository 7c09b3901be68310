using Studio.Domain.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.AzureMl;

/// <summary>
/// The one recogniser of Azure ML CLI v2 YAML files: every <c>$schema</c> the public examples use (jobs, components,
/// online and batch endpoints and deployments, model, data, environment, compute, datastores), and, for files without
/// one, the keys that give them away (<c>endpoint_name</c> with <c>type: kubernetes|managed</c>, <c>auth_mode</c>). Each
/// importer asks it first and refuses a file of another kind with a 422 that says what it is and where it goes.
/// </summary>
public static class AzureMlFiles
{
    /// <summary>The code of the error for a well-formed file of another kind (answered 422).</summary>
    public const string WrongKind = "wrong_file_kind";

    private static readonly Dictionary<string, AzureMlFileKind> Schemas = new(StringComparer.OrdinalIgnoreCase)
    {
        ["commandJob"] = AzureMlFileKind.CommandJob,
        ["sweepJob"] = AzureMlFileKind.SweepJob,
        ["pipelineJob"] = AzureMlFileKind.PipelineJob,
        ["autoMLJob"] = AzureMlFileKind.AutoMLJob,
        ["sparkJob"] = AzureMlFileKind.SparkJob,
        ["commandComponent"] = AzureMlFileKind.Component,
        ["pipelineComponent"] = AzureMlFileKind.Component,
        ["sparkComponent"] = AzureMlFileKind.Component,
        ["parallelComponent"] = AzureMlFileKind.Component,
        ["kubernetesOnlineEndpoint"] = AzureMlFileKind.KubernetesOnlineEndpoint,
        ["kubernetesOnlineDeployment"] = AzureMlFileKind.KubernetesOnlineDeployment,
        ["managedOnlineEndpoint"] = AzureMlFileKind.ManagedOnlineEndpoint,
        ["managedOnlineDeployment"] = AzureMlFileKind.ManagedOnlineDeployment,
        ["batchEndpoint"] = AzureMlFileKind.BatchEndpoint,
        ["batchDeployment"] = AzureMlFileKind.BatchDeployment,
        ["modelBatchDeployment"] = AzureMlFileKind.BatchDeployment,
        ["pipelineComponentBatchDeployment"] = AzureMlFileKind.BatchDeployment,
        ["model"] = AzureMlFileKind.Model,
        ["data"] = AzureMlFileKind.Data,
        ["mltable"] = AzureMlFileKind.Data,
        ["environment"] = AzureMlFileKind.Environment,
        ["amlCompute"] = AzureMlFileKind.Compute,
        ["kubernetesCompute"] = AzureMlFileKind.Compute,
        ["computeInstance"] = AzureMlFileKind.Compute,
        ["attachedCompute"] = AzureMlFileKind.Compute,
        ["azureBlob"] = AzureMlFileKind.Datastore,
        ["azureFile"] = AzureMlFileKind.Datastore,
        ["azureDataLakeGen1"] = AzureMlFileKind.Datastore,
        ["azureDataLakeGen2"] = AzureMlFileKind.Datastore,
        ["workspace"] = AzureMlFileKind.Workspace,
    };

    /// <summary>The schema name of a <c>$schema</c> URL: <c>https://.../latest/kubernetesOnlineDeployment.schema.json</c> gives <c>kubernetesOnlineDeployment</c>.</summary>
    public static string? SchemaName(string? schema)
    {
        if (string.IsNullOrWhiteSpace(schema))
        {
            return null;
        }

        var last = schema.Trim().TrimEnd('/');
        var slash = last.LastIndexOf('/');
        last = slash >= 0 ? last[(slash + 1)..] : last;
        foreach (var suffix in (string[])[".schema.json", ".json"])
        {
            if (last.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return last[..^suffix.Length];
            }
        }

        return last;
    }

    /// <summary>What a file with this <c>$schema</c> is (<see cref="AzureMlFileKind.Unknown"/> for a schema Studio does not know).</summary>
    public static AzureMlFile FromSchema(string? schema)
    {
        var name = SchemaName(schema);
        return new AzureMlFile(name is not null && Schemas.TryGetValue(name, out var kind) ? kind : AzureMlFileKind.Unknown, name);
    }

    /// <summary>Recognises a parsed YAML mapping: by its <c>$schema</c>, else by its telling keys, else <see cref="AzureMlFileKind.Unknown"/>.</summary>
    public static AzureMlFile Recognise(YamlMappingNode root)
    {
        var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            if (key is YamlScalarNode { Value: { } k })
            {
                keys[k] = (value as YamlScalarNode)?.Value;
            }
        }

        if (keys.TryGetValue("$schema", out var schema) && !string.IsNullOrWhiteSpace(schema))
        {
            var byName = FromSchema(schema);
            if (byName.Kind != AzureMlFileKind.Unknown)
            {
                return byName;
            }
        }

        return new AzureMlFile(ByKeys(keys), SchemaName(schema));
    }

    /// <summary>Recognises YAML text; a file that is not a readable YAML mapping is <see cref="AzureMlFileKind.Unknown"/> (its importer says why).</summary>
    public static AzureMlFile Recognise(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return new AzureMlFile(AzureMlFileKind.Unknown, null);
        }

        try
        {
            var stream = YamlReader.Load(yaml);
            return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root
                ? Recognise(root)
                : new AzureMlFile(AzureMlFileKind.Unknown, null);
        }
        catch (YamlException)
        {
            return new AzureMlFile(AzureMlFileKind.Unknown, null);
        }
    }

    /// <summary>
    /// The 422 for a file of another kind than <paramref name="accepted"/> (<see langword="null"/> when it is one of them or
    /// unknown, so its own importer reports what is wrong): names what it is and where it goes.
    /// </summary>
    public static Error? Refuse(AzureMlFile file, string expected, params AzureMlFileKind[] accepted) =>
        file.Kind == AzureMlFileKind.Unknown || accepted.Contains(file.Kind)
            ? null
            : Error.Unprocessable(WrongKind, "$schema", file.Misrouted(expected));

    private static AzureMlFileKind ByKeys(Dictionary<string, string?> keys)
    {
        if (keys.ContainsKey("endpoint_name"))
        {
            keys.TryGetValue("type", out var type);
            return type?.ToLowerInvariant() switch
            {
                "kubernetes" => AzureMlFileKind.KubernetesOnlineDeployment,
                "managed" => AzureMlFileKind.ManagedOnlineDeployment,
                "model" or "pipeline" => AzureMlFileKind.BatchDeployment,
                _ => keys.ContainsKey("settings") || keys.ContainsKey("compute") ? AzureMlFileKind.BatchDeployment : AzureMlFileKind.ManagedOnlineDeployment,
            };
        }

        if (keys.ContainsKey("auth_mode") && !keys.ContainsKey("command"))
        {
            if (keys.ContainsKey("defaults") || string.Equals(keys["auth_mode"], "aad_token", StringComparison.OrdinalIgnoreCase) && !keys.ContainsKey("compute"))
            {
                return AzureMlFileKind.BatchEndpoint;
            }

            return keys.ContainsKey("compute") ? AzureMlFileKind.KubernetesOnlineEndpoint : AzureMlFileKind.ManagedOnlineEndpoint;
        }

        // Jobs without a $schema are told apart by their importer (type: sweep is an error at "type").
        return AzureMlFileKind.Unknown;
    }
}
