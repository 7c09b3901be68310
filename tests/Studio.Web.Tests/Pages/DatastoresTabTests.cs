using System.Net;
using System.Net.Sockets;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Datastores;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Pages;
using Studio.Web.Model;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Pages;

/// <summary>The Data page's Datastores tab: everyone in the workspace sees the datastores; administrators create, change, test and delete them.</summary>
public sealed class DatastoresTabTests : ArtifactPagesTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task WorkspaceAsync()
    {
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        await workspaces.CreateAsync(Admin, "nlp", null, Ct);
        await workspaces.SetMemberAsync(Admin, "nlp", "ada", "Ada", WorkspaceRole.Administrator, Ct);
        await workspaces.SetMemberAsync(Admin, "nlp", "rob", "Rob", WorkspaceRole.Reader, Ct);
        Services.GetRequiredService<UserPreferences>().Seed(false, "nlp");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/w/nlp/data?tab=datastores");
    }

    /// <summary>A loopback address nobody listens on (the port was free a moment ago).</summary>
    private static string ClosedLoopbackUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/files";
    }

    private async Task HttpsStoreAsync(string name, string endpoint)
    {
        var created = await Services.GetRequiredService<DatastoreService>().CreateAsync(Admin, "nlp",
            new DatastoreInput(name, DatastoreKind.Https, new DatastoreSettings(endpoint, null, Description: "public files"), null), Ct);
        Assert.True(created.IsSuccess, string.Join("; ", created.Errors.Select(e => e.Message)));
    }

    [Fact]
    public async Task DatastoresTab_ForAdministrators_ListsTheBuiltInStoreAndTheirs_WithTestChangeAndDelete()
    {
        await WorkspaceAsync();
        await HttpsStoreAsync("public_files", "http://127.0.0.1:9/files");

        var cut = RenderInWorkspace<Data>("nlp", "ada", []);

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=datastore-public_files]")));
        var grid = cut.Find("[data-testid=datastores-grid]").TextContent;
        Assert.Contains(DatastoreName.Default, grid, StringComparison.Ordinal);
        Assert.Contains("built-in", grid, StringComparison.Ordinal);
        Assert.Contains("read-only", grid, StringComparison.Ordinal);
        Assert.Equal("Copy azureml://datastores/public_files/paths/", cut.Find("[data-testid=copy-datastore-public_files]").GetAttribute("aria-label"));
        Assert.NotNull(cut.Find("[data-testid=create-datastore]"));
        Assert.NotNull(cut.Find("[data-testid=test-datastore-workspaceblobstore]"));
        Assert.Empty(cut.FindAll("[data-testid=edit-datastore-workspaceblobstore]"));
        Assert.NotNull(cut.Find("[data-testid=edit-datastore-public_files]"));
        Assert.NotNull(cut.Find("[data-testid=delete-datastore-public_files]"));
    }

    [Fact]
    public async Task DatastoresTab_ForReaders_ListsThem_WithoutAnyWayToChangeOrTest()
    {
        await WorkspaceAsync();
        await HttpsStoreAsync("public_files", "http://127.0.0.1:9/files");

        var cut = RenderInWorkspace<Data>("nlp", "rob", []);

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=datastore-public_files]")));
        Assert.Empty(cut.FindAll("[data-testid=create-datastore]"));
        Assert.Empty(cut.FindAll("[data-testid^=test-datastore-]"));
        Assert.Empty(cut.FindAll("[data-testid^=edit-datastore-]"));
        Assert.Empty(cut.FindAll("[data-testid^=delete-datastore-]"));
    }

    [Fact]
    public async Task TestConnection_OfAnUnreachableStore_ShowsTheCauseOnItsRow()
    {
        await WorkspaceAsync();
        await HttpsStoreAsync("gone", ClosedLoopbackUrl());
        var cut = RenderInWorkspace<Data>("nlp", "ada", []);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=test-datastore-gone]")));

        cut.Find("[data-testid=test-datastore-gone]").Click();

        cut.WaitForAssertion(() => Assert.Equal("unreachable", cut.Find("[data-testid=datastore-test-gone]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Contains("gone", cut.Find("[data-testid=datastore-test-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDialog_WithABadEndpoint_NamesTheField_AndCreatesNothing_ThenCreatesWhenFixed()
    {
        await WorkspaceAsync();
        var cut = RenderInWorkspace<Data>("nlp", "ada", []);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=create-datastore]")));

        cut.Find("[data-testid=create-datastore]").Click();
        cut.WaitForElement("input[data-testid=datastore-name]").Input("team_blob");
        cut.Find("input[data-testid=datastore-endpoint]").Input("ftp://nowhere");
        cut.Find("input[data-testid=datastore-container]").Input("training");
        cut.Find("input[data-testid=datastore-account-key]").Input(Convert.ToBase64String(new byte[64]));
        cut.Find("[data-testid=datastore-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Give the storage account", cut.Find("[data-testid=datastore-dialog]").TextContent, StringComparison.Ordinal));
        Assert.Equal([DatastoreName.Default], (await Services.GetRequiredService<DatastoreService>().ListAsync(Admin, "nlp", Ct)).Value.Select(d => d.Name));

        cut.Find("input[data-testid=datastore-endpoint]").Input("http://127.0.0.1:10000/devstoreaccount1");
        cut.Find("[data-testid=datastore-submit]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=datastore-team_blob]")));
        Assert.Empty(cut.FindAll("[data-testid=datastore-dialog]"));
        var saved = (await Services.GetRequiredService<DatastoreService>().GetAsync(Admin, "nlp", "team_blob", Ct)).Value;
        Assert.Equal((DatastoreKind.AzureBlob, DatastoreAuth.AccountKey, true, "training"), (saved.Kind, saved.Auth, saved.HasSecret, saved.Container));
    }
}
