using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Assets;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Pages;
using Studio.Web.Model;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Pages;

/// <summary>The Data page's data assets, the Models page, and their detail pages with versions and the file browser.</summary>
public sealed class DataPagesTests : ArtifactPagesTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);
    private static readonly Actor Dana = new("dana", "Dana", null);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task WorkspaceAsync()
    {
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        await workspaces.CreateAsync(Admin, "nlp", null, Ct);
        await workspaces.SetMemberAsync(Admin, "nlp", "dana", "Dana", WorkspaceRole.DataScientist, Ct);
        await workspaces.SetMemberAsync(Admin, "nlp", "rob", "Rob", WorkspaceRole.Reader, Ct);
        Services.GetRequiredService<UserPreferences>().Seed(false, "nlp");
    }

    private async Task<AssetVersionView> UploadAsync(string name, string file, string content)
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        var created = await Services.GetRequiredService<DataAssetService>().CreateAsync(Dana, "nlp", name, new DataAssetDraft(DataAssetType.UriFile, null, null), new AssetUpload(stream, file, false), Ct);
        Assert.True(created.IsSuccess, string.Join("; ", created.Errors.Select(e => e.Message)));
        return created.Value;
    }

    [Fact]
    public async Task DataPage_Empty_SaysHowToStart_AndDataScientistsMayCreate()
    {
        await WorkspaceAsync();

        var cut = RenderInWorkspace<Data>("nlp", "dana", []);

        cut.WaitForAssertion(() => Assert.Contains("No data assets yet", cut.Markup, StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=create-data-asset]"));
        Assert.Contains("Data assets", cut.Find("[data-testid=data-tabs]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataPage_ListsAssetsWithTheirLatestVersion_ForReaders_WithoutCreate()
    {
        await WorkspaceAsync();
        await UploadAsync("heart", "heart.csv", "a,b\n");
        await UploadAsync("heart", "heart.csv", "a,b\n1,2\n");

        var cut = RenderInWorkspace<Data>("nlp", "rob", []);

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=asset-heart]")));
        Assert.Equal("/w/nlp/data/heart", cut.Find("[data-testid=asset-heart]").GetAttribute("href"));
        Assert.Contains("uri_file", cut.Find("[data-testid=data-assets-grid]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=create-data-asset]"));
    }

    [Fact]
    public async Task AssetDetail_ShowsVersions_AndTheChosenVersionsFilesWithDownloads()
    {
        await WorkspaceAsync();
        await UploadAsync("heart", "heart.csv", "a,b\n");
        await UploadAsync("heart", "heart-2.csv", "a,b\n1,2\n");

        var cut = RenderInWorkspace<DataAssetDetail>("nlp", "dana", [], p => p.Add(x => x.Name, "heart"));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid='download-heart-2.csv']")));
        Assert.NotNull(cut.Find("[data-testid=version-1]"));
        Assert.Equal("/api/workspaces/nlp/data/heart/versions/2/download?path=heart-2.csv", cut.Find("[data-testid='download-heart-2.csv']").GetAttribute("href"));
        Assert.Contains("1 file(s)", cut.Find("[data-testid=asset-file-count]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=remove-1]"));
    }

    [Fact]
    public async Task AssetDetail_OfAnotherWorkspacesAsset_IsNotFound()
    {
        await WorkspaceAsync();

        var cut = RenderInWorkspace<DataAssetDetail>("nlp", "dana", [], p => p.Add(x => x.Name, "missing"));

        cut.WaitForAssertion(() => Assert.Contains("has no data asset 'missing'", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ModelsPage_Empty_SaysHowToStart()
    {
        await WorkspaceAsync();

        var cut = RenderInWorkspace<Models>("nlp", "dana", []);

        cut.WaitForAssertion(() => Assert.Contains("No models yet", cut.Markup, StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=register-model]"));
    }

    [Fact]
    public async Task ModelDetail_OfADatastorePathVersion_SaysWhereItsFilesAre()
    {
        await WorkspaceAsync();
        var created = await Services.GetRequiredService<ModelService>().CreateAsync(Dana, "nlp", "resnet", new ModelDraft(ModelType.CustomModel, null, "azureml://datastores/workspaceblobstore/paths/models/resnet/"), null, Ct);
        Assert.True(created.IsSuccess);
        var cut = RenderInWorkspace<ModelDetail>("nlp", "dana", [], p => p.Add(x => x.Name, "resnet"));

        cut.WaitForAssertion(() => Assert.Contains("azureml://datastores/workspaceblobstore/paths/models/resnet/", cut.Find("[data-testid=asset-location]").TextContent, StringComparison.Ordinal));
    }
}
