using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Artifacts;

namespace Studio.Web.Tests.Shared;

/// <summary>A bUnit context for the pages over the artifact store (data, models, datastores): the studio's own store in a temporary folder, deleted after the test.</summary>
public abstract class ArtifactPagesTestContext : StudioTestContext
{
    private readonly string _folder = Directory.CreateTempSubdirectory("studio-artifact-pages-").FullName;

    protected ArtifactPagesTestContext()
    {
        Services.AddSingleton<IArtifactBaseUrl>(new FixedArtifactBaseUrl(new Uri("http://127.0.0.1:5000/")));
        Services.AddDataProtection();
        Services.AddStudioArtifacts(new ConfigurationBuilder().Build(), _folder);
        JSInterop.Setup<bool>("studio.copyText", _ => true).SetResult(true);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
