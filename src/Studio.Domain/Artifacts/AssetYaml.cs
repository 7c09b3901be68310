using System.Globalization;
using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.Artifacts;

/// <summary>
/// Reads Azure ML CLI v2 data asset (<c>data.schema.json</c>) and model (<c>model.schema.json</c>) YAML: name, version,
/// description, type, path and tags. Keys Studio does not keep are listed by path, never silently dropped.
/// </summary>
public static class AssetYaml
{
    /// <summary>A data asset YAML: its name and the version to create.</summary>
    public static Result<AssetImport<DataAssetDraft>> ReadData(string? yaml) =>
        Read(yaml, "data asset", AzureMlFileKind.Data, (fields, errors) =>
        {
            var type = fields.Type is null ? DataAssetType.UriFolder : AssetTypes.DataAssetTypeOf(fields.Type);
            if (type is null)
            {
                errors.Add(Error.Validation("type", fields.Type == "mltable"
                    ? "mltable data assets are not supported; use uri_file or uri_folder."
                    : $"Data asset type '{fields.Type}' is not known; use uri_file or uri_folder."));
                return null;
            }

            return new DataAssetDraft(type.Value, fields.Version, fields.Path, null, fields.Description, fields.Tags);
        });

    /// <summary>A model YAML: its name and the version to register.</summary>
    public static Result<AssetImport<ModelDraft>> ReadModel(string? yaml) =>
        Read(yaml, "model", AzureMlFileKind.Model, (fields, errors) =>
        {
            var type = fields.Type is null ? ModelType.CustomModel : AssetTypes.ModelTypeOf(fields.Type);
            if (type is null)
            {
                errors.Add(Error.Validation("type", $"Model type '{fields.Type}' is not known; use custom_model, mlflow_model or triton_model."));
                return null;
            }

            return new ModelDraft(type.Value, fields.Version, fields.Path, null, null, fields.Description, fields.Tags);
        });

    private static Result<AssetImport<T>> Read<T>(string? yaml, string what, AzureMlFileKind kind, Func<Fields, List<Error>, T?> build)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return Error.Validation("(document)", $"The YAML is empty. Paste a {what} (name, type, path...).");
        }

        YamlMappingNode root;
        try
        {
            var stream = YamlReader.Load(yaml);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return Error.Validation("(document)", $"A {what} is one YAML mapping (key: value lines), e.g. 'name: my-data'.");
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            return Error.Validation("(document)", string.Create(CultureInfo.InvariantCulture, $"The YAML cannot be read at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"));
        }

        if (AzureMlFiles.Refuse(AzureMlFiles.Recognise(root), $"a {what}", kind) is { } elsewhere)
        {
            return elsewhere;
        }

        var errors = new List<Error>();
        var ignored = new List<string>();
        var fields = new Fields();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            switch (key)
            {
                case "$schema":
                    break;
                case "name":
                    fields.Name = Scalar(value, key, errors);
                    break;
                case "version":
                    fields.Version = Scalar(value, key, errors);
                    break;
                case "description":
                    fields.Description = Scalar(value, key, errors);
                    break;
                case "type":
                    fields.Type = Scalar(value, key, errors)?.Trim().ToLowerInvariant();
                    break;
                case "path":
                    fields.Path = Scalar(value, key, errors);
                    break;
                case "tags":
                    if (value is YamlMappingNode tags)
                    {
                        fields.Tags = tags.Children.ToDictionary(t => (t.Key as YamlScalarNode)?.Value ?? string.Empty, t => (t.Value as YamlScalarNode)?.Value ?? string.Empty, StringComparer.Ordinal);
                    }
                    else
                    {
                        errors.Add(Error.Validation("tags", "tags is a mapping (key: value lines)."));
                    }

                    break;
                default:
                    ignored.Add(key);
                    break;
            }
        }

        if (fields.Path is null)
        {
            errors.Add(Error.Validation("path", $"A {what} needs a path: a local file or folder sent with the YAML, or azureml://datastores/NAME/paths/PATH."));
        }

        var draft = build(fields, errors);
        return errors.Count > 0 || draft is null ? Result<AssetImport<T>>.Failure(errors) : new AssetImport<T>(fields.Name, draft, ignored);
    }

    private static string? Scalar(YamlNode node, string key, List<Error> errors)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        errors.Add(Error.Validation(key, $"'{key}' is a single value."));
        return null;
    }

    private sealed class Fields
    {
        public string? Name { get; set; }

        public string? Version { get; set; }

        public string? Description { get; set; }

        public string? Type { get; set; }

        public string? Path { get; set; }

        public Dictionary<string, string>? Tags { get; set; }
    }
}

/// <summary>An imported asset YAML: the name, the version to create, and the top-level keys Studio does not keep (ignored).</summary>
public sealed record AssetImport<T>(string? Name, T Draft, IReadOnlyList<string> Ignored);
