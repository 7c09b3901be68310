using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Environments;

/// <summary>
/// Named environments (<c>azureml:NAME@latest</c>, <c>azureml:NAME:VERSION</c>) and the image each maps to: Azure ML's
/// curated environments that the samples use, plus the ones configured under <c>Studio:Jobs:Environments</c>
/// (configured names win). A version-less or <c>@latest</c> reference uses the entry without version.
/// </summary>
public sealed class EnvironmentCatalog(IOptions<EnvironmentOptions> options)
{
    private static readonly Dictionary<string, string> Curated = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AzureML-acpt-pytorch-2.8-cuda12.6"] = "mcr.microsoft.com/azureml/curated/acpt-pytorch-2.8-cuda12.6:latest",
        ["AzureML-acpt-pytorch-2.2-cuda12.1"] = "mcr.microsoft.com/azureml/curated/acpt-pytorch-2.2-cuda12.1:latest",
        ["AzureML-sklearn-1.5"] = "mcr.microsoft.com/azureml/curated/sklearn-1.5:latest",
        ["AzureML-tensorflow-2.16-cuda12"] = "mcr.microsoft.com/azureml/curated/tensorflow-2.16-cuda12:latest",
        ["AzureML-lightgbm-3.3"] = "mcr.microsoft.com/azureml/curated/lightgbm-3.3:latest",
        ["AzureML-minimal-ubuntu22.04-py39-cpu-inference"] = "mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest",
        ["openmpi4.1.0-ubuntu22.04"] = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
    };

    /// <summary>Every named environment: name → image.</summary>
    public IReadOnlyDictionary<string, string> All()
    {
        var all = new Dictionary<string, string>(Curated, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, image) in options.Value.Environments)
        {
            all[name] = image;
        }

        return all;
    }

    /// <summary>Studio-wide entries with where each comes from (configured entries replace curated ones of the same name).</summary>
    public IReadOnlyList<EnvironmentSummary> Entries()
    {
        var configured = options.Value.Environments;
        return [.. All().Select(e => new EnvironmentSummary(e.Key, null, e.Value, null, configured.ContainsKey(e.Key) ? EnvironmentSource.Configured : EnvironmentSource.Curated, null, null))];
    }

    /// <summary>
    /// The image of a reference as a job in <paramref name="workspace"/> sees it: the workspace's registered versions
    /// first (<c>NAME:VERSION</c> exactly, <c>NAME</c>/<c>NAME@latest</c> = newest), then the studio-wide entries.
    /// </summary>
    public string? Resolve(Workspace workspace, string reference) =>
        workspace.FindEnvironment(reference)?.Image ?? Resolve(reference);

    /// <summary>Names a job in <paramref name="workspace"/> can use, for "known environments" messages.</summary>
    public IEnumerable<string> Known(Workspace workspace) =>
        workspace.Environments.Select(e => e.Name).Concat(All().Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);

    /// <summary>The image of a reference (<c>NAME</c>, <c>NAME@latest</c>, <c>NAME:VERSION</c>), or null when unknown.</summary>
    public string? Resolve(string reference)
    {
        var all = All();
        if (all.TryGetValue(AssetReference.StripPrefix(reference), out var exact))
        {
            return exact;
        }

        // Studio-wide entries have one image per name: any version of the name is that image.
        var parsed = AssetReference.Parse(reference, "environment", bareNameIsLatest: true);
        return parsed.IsSuccess && all.TryGetValue(parsed.Value.Name, out var image) ? image : null;
    }
}
