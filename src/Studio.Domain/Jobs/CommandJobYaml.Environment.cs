using Studio.Domain.Artifacts;
using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.Jobs;

/// <summary>
/// A job's <c>environment</c>: a reference (<c>azureml:NAME@latest</c>, a registry's), <c>file:env.yml</c>, or inline
/// <c>{image, conda_file, build}</c>; and an environment YAML read from the files sent with the job (<see cref="ReadEnvironmentFile"/>).
/// </summary>
public static partial class CommandJobYaml
{
    /// <summary>The prefix of an environment YAML beside the job: <c>environment: file:env.yml</c>.</summary>
    public const string FilePrefix = "file:";

    /// <summary>
    /// Reads an Azure ML environment YAML (<c>image</c>, <c>conda_file</c>, <c>build</c>; <c>name</c>, <c>version</c> and the
    /// like are listed as ignored) named by <c>environment: file:...</c>. Paths in it stay relative to its own folder;
    /// errors and issues name <c>environment</c>.
    /// </summary>
    public static Result<(string? Image, JobEnvironment Environment, IReadOnlyList<YamlIssue> Issues)> ReadEnvironmentFile(string yaml, string written)
    {
        YamlMappingNode root;
        try
        {
            var stream = YamlReader.Load(yaml);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return Error.Validation("environment", $"'{written}' is not an environment YAML (a mapping with image, conda_file or build).");
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            return Error.Validation("environment", $"'{written}' cannot be read at line {e.Start.Line}: {Inner(e).Message}");
        }

        var reader = new Reader();
        var (image, inline) = reader.ReadInline(root, "environment", file: true);
        return reader.Errors.Count > 0
            ? Result<(string?, JobEnvironment, IReadOnlyList<YamlIssue>)>.Failure(reader.Errors)
            : (image, inline ?? new JobEnvironment(), reader.Issues);
    }

    private sealed partial class Reader
    {
        public IReadOnlyList<Error> Errors => _errors;

        public IReadOnlyList<YamlIssue> Issues => _issues;

        private (string? Image, string? Environment, JobEnvironment? Inline) ReadEnvironment(YamlNode value)
        {
            const string path = "environment";
            if (value is YamlScalarNode)
            {
                var text = Scalar(value, path);
                if (string.IsNullOrWhiteSpace(text))
                {
                    _errors.Add(Error.Validation(path, "The environment is empty: give azureml:NAME@latest, azureml:NAME:VERSION, file:env.yml, or an image (environment: {image: ...})."));
                    return (null, null, null);
                }

                if (text.Trim().StartsWith(FilePrefix, StringComparison.OrdinalIgnoreCase))
                {
                    var file = text.Trim()[FilePrefix.Length..].Trim();
                    if (file.Length == 0)
                    {
                        _errors.Add(Error.Validation(path, "file: names an environment YAML beside the job, e.g. file:env.yml."));
                        return (null, null, null);
                    }

                    return (null, null, new JobEnvironment { File = file });
                }

                var reference = AssetReference.Parse(text, path, bareNameIsLatest: true);
                if (!reference.IsSuccess)
                {
                    _errors.AddRange(reference.Errors);
                    return (null, null, null);
                }

                return (null, EnvironmentOf(reference.Value, text.Trim()), null);
            }

            var mapping = Mapping(value, path);
            if (mapping is null)
            {
                return (null, null, null);
            }

            var (image, inline) = ReadInline(mapping, path, file: false);
            return (image, null, inline);
        }

        /// <summary>The keys of an inline environment (or an environment YAML when <paramref name="file"/>).</summary>
        public (string? Image, JobEnvironment? Inline) ReadInline(YamlMappingNode mapping, string path, bool file)
        {
            string? image = null;
            JobEnvironment? inline = null;
            foreach (var (k, v) in mapping.Children)
            {
                var key = Key(k);
                var at = $"{path}.{key}";
                switch (key)
                {
                    case "image":
                        image = Scalar(v, at);
                        break;
                    case "conda_file":
                        inline = (inline ?? new JobEnvironment()) with { CondaFile = null, CondaFilePath = null };
                        if (v is YamlMappingNode conda)
                        {
                            // Written inline: kept as its YAML text.
                            inline = inline with { CondaFile = new YamlStream(new YamlDocument(conda)).ToText() };
                        }
                        else if (Scalar(v, at) is { Length: > 0 } condaPath)
                        {
                            inline = inline with { CondaFilePath = condaPath.Trim() };
                        }

                        break;
                    case "build":
                        if (Mapping(v, at) is { } build)
                        {
                            inline = (inline ?? new JobEnvironment()) with { BuildPath = string.Empty };
                            foreach (var (bk, bv) in build.Children)
                            {
                                var buildKey = Key(bk);
                                switch (buildKey)
                                {
                                    case "path":
                                        inline = inline with { BuildPath = Scalar(bv, $"{at}.path")?.Trim() ?? string.Empty };
                                        break;
                                    case "dockerfile_path":
                                        inline = inline with { DockerfilePath = Scalar(bv, $"{at}.dockerfile_path")?.Trim() };
                                        break;
                                    default:
                                        _issues.Add(new YamlIssue($"{at}.{buildKey}", $"'{buildKey}' of a build is not supported; it is ignored."));
                                        break;
                                }
                            }

                            if (string.IsNullOrWhiteSpace(inline.BuildPath))
                            {
                                _errors.Add(Error.Validation($"{at}.path", "build.path names the Docker build context, a folder beside the YAML."));
                            }
                        }

                        break;
                    case "$schema" when file:
                        break;
                    case "name" or "version" or "description" or "tags" or "os_type" or "inference_config":
                        _issues.Add(new YamlIssue(at, file
                            ? $"'{key}' of an environment file is not kept: the environment is the job's own, not registered in the workspace."
                            : "An inline environment is not registered in the workspace; its name, version, description and tags are ignored."));
                        break;
                    default:
                        _issues.Add(new YamlIssue(at, $"'{key}' of an inline environment is not supported; it is ignored."));
                        break;
                }
            }

            return (image, inline);
        }
    }
}

/// <summary>Writes a YAML node tree back to text.</summary>
internal static class YamlText
{
    public static string ToText(this YamlStream stream)
    {
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // The serializer ends a document with "...": a conda file does not need it.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
