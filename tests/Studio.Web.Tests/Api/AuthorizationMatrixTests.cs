using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Studio.Web.Security;
using Studio.Web.Tests.Live;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>
/// Every route, page and hub scope of the studio against six identities: an administrator, a data scientist of workspace
/// A, a reader of A, a member of workspace B, a signed-in person with no role, and an anonymous caller. A route without a
/// row fails the test, so a new route cannot ship without saying who may call it. Workspace A is 'default' (the
/// sandbox's compute target 'local-sandbox' is attached to it); B has no compute, so its member sees no cluster.
/// Within a row the identities run from the least to the most privileged, so a refused call must have changed nothing
/// that an allowed one then relies on; rows that delete run last.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true, SandboxSpeed = 20 };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>Who calls, least privileged first.</summary>
    private static readonly Identity[] Identities =
    [
        new("anonymous", null, null),
        new("no role", "nora", null),
        new("member of B", "bob", null),
        new("reader of A", "rita", null),
        new("data scientist of A", "dana", null),
        new("administrator", "admin", StudioRoles.Administrator),
    ];

    /// <summary>
    /// Who may do what. Allowed: the call passes authorization (any answer but 401, 403 and 404, and never 5xx). Hidden:
    /// 404, the object does not exist for them. Forbidden: 403. Refused: 403 or 404 (a policy that refuses before the
    /// object is looked up answers the same for every name, so it discloses nothing). SignIn: 401 for the API, the
    /// sign-in challenge for pages.
    /// </summary>
    private static readonly IReadOnlyDictionary<Access, Expect[]> Rules = new Dictionary<Access, Expect[]>
    {
        //                                  anonymous      no role           member of B       reader of A       scientist of A    administrator
        [Access.Anonymous] = [Expect.Allowed, Expect.Allowed, Expect.Allowed, Expect.Allowed, Expect.Allowed, Expect.Allowed],
        [Access.SignedIn] = [Expect.SignIn, Expect.Allowed, Expect.Allowed, Expect.Allowed, Expect.Allowed, Expect.Allowed],
        [Access.Administrator] = [Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Forbidden, Expect.Forbidden, Expect.Allowed],
        [Access.ClusterRead] = [Expect.SignIn, Expect.Hidden, Expect.Hidden, Expect.Allowed, Expect.Allowed, Expect.Allowed],
        [Access.WorkspaceRead] = [Expect.SignIn, Expect.Hidden, Expect.Hidden, Expect.Allowed, Expect.Allowed, Expect.Allowed],
        [Access.WorkspaceWrite] = [Expect.SignIn, Expect.Hidden, Expect.Hidden, Expect.Forbidden, Expect.Allowed, Expect.Allowed],
        [Access.WorkspaceAdministrator] = [Expect.SignIn, Expect.Refused, Expect.Refused, Expect.Forbidden, Expect.Forbidden, Expect.Allowed],
    };

    /// <summary>One row per route: method, pattern as routed, the concrete path called, who may call it, and a body.</summary>
    private static IReadOnlyList<Row> Rows(string job) =>
    [
        // Workspaces
        new("GET", "/api/workspaces/", "/api/workspaces/", Access.SignedIn),
        new("GET", "/api/workspaces/{name}", "/api/workspaces/default", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{name}/members", "/api/workspaces/default/members", Access.WorkspaceRead),
        new("POST", "/api/workspaces/", "/api/workspaces/", Access.Administrator, "{}"),
        new("PATCH", "/api/workspaces/{name}", "/api/workspaces/default", Access.WorkspaceAdministrator, "{}"),
        new("PUT", "/api/workspaces/{name}/members/{userId}", "/api/workspaces/default/members/temp", Access.WorkspaceAdministrator, "{\"role\":\"Reader\"}"),

        // Clusters, the extension and instance types: reads for whoever sees the cluster, changes for administrators.
        new("GET", "/api/clusters/", "/api/clusters/", Access.SignedIn),
        new("GET", "/api/clusters/{name}", "/api/clusters/sandbox", Access.ClusterRead),
        new("GET", "/api/clusters/{name}/nodes", "/api/clusters/sandbox/nodes", Access.ClusterRead),
        new("GET", "/api/clusters/{name}/namespaces", "/api/clusters/sandbox/namespaces", Access.ClusterRead),
        new("GET", "/api/clusters/{name}/nodes/{node}", "/api/clusters/sandbox/nodes/aks-cpu-10023757-vmss000000", Access.ClusterRead),
        new("GET", "/api/clusters/{name}/pods", "/api/clusters/sandbox/pods", Access.ClusterRead),
        new("POST", "/api/clusters/", "/api/clusters/", Access.Administrator, "{}"),
        new("POST", "/api/clusters/inspect", "/api/clusters/inspect", Access.Administrator, "{}"),
        new("POST", "/api/clusters/test-connection", "/api/clusters/test-connection", Access.Administrator, "{}"),
        new("POST", "/api/clusters/{name}/test-connection", "/api/clusters/sandbox/test-connection", Access.Administrator),
        new("PATCH", "/api/clusters/{name}", "/api/clusters/sandbox", Access.Administrator, "{}"),
        new("PUT", "/api/clusters/{name}/credentials", "/api/clusters/sandbox/credentials", Access.Administrator, "{}"),
        new("GET", "/api/clusters/{cluster}/extension/", "/api/clusters/sandbox/extension/", Access.ClusterRead),
        new("POST", "/api/clusters/{cluster}/extension/plan", "/api/clusters/sandbox/extension/plan", Access.Administrator, "{}"),
        new("PUT", "/api/clusters/{cluster}/extension/", "/api/clusters/sandbox/extension/", Access.Administrator, "{}"),
        new("GET", "/api/clusters/{cluster}/instancetypes/", "/api/clusters/sandbox/instancetypes/", Access.ClusterRead),
        new("GET", "/api/clusters/{cluster}/instancetypes/{name}", "/api/clusters/sandbox/instancetypes/defaultinstancetype", Access.ClusterRead),
        new("GET", "/api/clusters/{cluster}/instancetypes/export", "/api/clusters/sandbox/instancetypes/export", Access.ClusterRead),
        new("POST", "/api/clusters/{cluster}/instancetypes/validate", "/api/clusters/sandbox/instancetypes/validate", Access.ClusterRead, "{\"name\":\"probe\"}"),
        new("POST", "/api/clusters/{cluster}/instancetypes/", "/api/clusters/sandbox/instancetypes/", Access.Administrator, "{}"),
        new("PUT", "/api/clusters/{cluster}/instancetypes/{name}", "/api/clusters/sandbox/instancetypes/matrix-it", Access.Administrator, "{}"),
        new("POST", "/api/clusters/{cluster}/instancetypes/import", "/api/clusters/sandbox/instancetypes/import?dryRun=true", Access.Administrator, "{}"),
        new("POST", "/api/azure/subscriptions", "/api/azure/subscriptions", Access.Administrator, "{}"),
        new("POST", "/api/azure/subscriptions/{subscriptionId}/clusters", "/api/azure/subscriptions/00000000-0000-0000-0000-000000000000/clusters", Access.Administrator, "{}"),
        new("POST", "/api/azure/import", "/api/azure/import", Access.Administrator, "{}"),

        // The quick finder: anyone signed in; what it finds is filtered by the services it asks (SearchApiTests).
        new("GET", "/api/search", "/api/search?q=default", Access.SignedIn),

        // Compute targets
        new("GET", "/api/workspaces/{workspace}/computes/", "/api/workspaces/default/computes/", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/computes/{name}", "/api/workspaces/default/computes/local-sandbox", Access.WorkspaceRead),
        new("POST", "/api/workspaces/{workspace}/computes/preflight", "/api/workspaces/default/computes/preflight", Access.WorkspaceAdministrator, "{}"),
        new("POST", "/api/workspaces/{workspace}/computes/", "/api/workspaces/default/computes/", Access.WorkspaceAdministrator, "{}"),
        new("PATCH", "/api/workspaces/{workspace}/computes/{name}", "/api/workspaces/default/computes/local-sandbox", Access.WorkspaceAdministrator, "{}"),
        new("PUT", "/api/workspaces/{workspace}/computes/{name}/instancetypes", "/api/workspaces/default/computes/local-sandbox/instancetypes", Access.WorkspaceAdministrator, "{}"),
        new("PUT", "/api/workspaces/{workspace}/computes/{name}/pod-security", "/api/workspaces/default/computes/local-sandbox/pod-security", Access.WorkspaceAdministrator, "{}"),

        // Environments
        new("GET", "/api/workspaces/{ws}/environments/", "/api/workspaces/default/environments/", Access.WorkspaceRead),
        new("POST", "/api/workspaces/{ws}/environments/", "/api/workspaces/default/environments/", Access.WorkspaceWrite, "{\"name\":\"matrix-env\",\"image\":\"python:3.12-slim\"}"),

        // Datastores: members read them; administrators change and test them (secrets go in, never out).
        new("GET", "/api/workspaces/{ws}/datastores/", "/api/workspaces/default/datastores/", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/datastores/{name}", "/api/workspaces/default/datastores/workspaceblobstore", Access.WorkspaceRead),
        new("POST", "/api/workspaces/{ws}/datastores/", "/api/workspaces/default/datastores/", Access.WorkspaceAdministrator, "{}"),
        new("PUT", "/api/workspaces/{ws}/datastores/{name}", "/api/workspaces/default/datastores/workspaceblobstore", Access.WorkspaceAdministrator, "{}"),
        new("POST", "/api/workspaces/{ws}/datastores/test-connection", "/api/workspaces/default/datastores/test-connection", Access.WorkspaceAdministrator, "{}"),
        new("POST", "/api/workspaces/{ws}/datastores/{name}/test-connection", "/api/workspaces/default/datastores/workspaceblobstore/test-connection", Access.WorkspaceAdministrator),

        // Data assets and models: created first (the data scientist version 1, the administrator 2), then read, archived, deleted last.
        new("POST", "/api/workspaces/{ws}/data/", "/api/workspaces/default/data/", Access.WorkspaceWrite, "{\"name\":\"matrix-data\",\"type\":\"uri_file\",\"path\":\"https://example.com/a.csv\"}"),
        new("GET", "/api/workspaces/{ws}/data/", "/api/workspaces/default/data/", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/data/{name}", "/api/workspaces/default/data/matrix-data", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/data/{name}/versions/{version}", "/api/workspaces/default/data/matrix-data/versions/1", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/data/{name}/versions/{version}/files", "/api/workspaces/default/data/matrix-data/versions/1/files", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/data/{name}/versions/{version}/download", "/api/workspaces/default/data/matrix-data/versions/1/download", Access.WorkspaceRead),
        new("POST", "/api/workspaces/{ws}/data/{name}/versions/{version}/archive", "/api/workspaces/default/data/matrix-data/versions/1/archive", Access.WorkspaceWrite),
        new("POST", "/api/workspaces/{ws}/data/{name}/versions/{version}/restore", "/api/workspaces/default/data/matrix-data/versions/1/restore", Access.WorkspaceWrite),
        new("POST", "/api/workspaces/{ws}/models/", "/api/workspaces/default/models/", Access.WorkspaceWrite, "{\"name\":\"matrix-model\",\"type\":\"custom_model\",\"path\":\"azureml://datastores/workspaceblobstore/paths/m/\"}"),
        new("GET", "/api/workspaces/{ws}/models/", "/api/workspaces/default/models/", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/models/{name}", "/api/workspaces/default/models/matrix-model", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/models/{name}/versions/{version}", "/api/workspaces/default/models/matrix-model/versions/1", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/models/{name}/versions/{version}/files", "/api/workspaces/default/models/matrix-model/versions/1/files", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{ws}/models/{name}/versions/{version}/download", "/api/workspaces/default/models/matrix-model/versions/1/download", Access.WorkspaceRead),
        new("POST", "/api/workspaces/{ws}/models/{name}/versions/{version}/archive", "/api/workspaces/default/models/matrix-model/versions/1/archive", Access.WorkspaceWrite),
        new("POST", "/api/workspaces/{ws}/models/{name}/versions/{version}/restore", "/api/workspaces/default/models/matrix-model/versions/1/restore", Access.WorkspaceWrite),

        // Jobs
        new("GET", "/api/workspaces/{workspace}/jobs/", "/api/workspaces/default/jobs/", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}", $"/api/workspaces/default/jobs/{job}", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/logs", $"/api/workspaces/default/jobs/{job}/logs?tail=5", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/events", $"/api/workspaces/default/jobs/{job}/events", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/manifests", $"/api/workspaces/default/jobs/{job}/manifests", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/code", $"/api/workspaces/default/jobs/{job}/code", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/code/download", $"/api/workspaces/default/jobs/{job}/code/download", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/inputs", $"/api/workspaces/default/jobs/{job}/inputs", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/outputs", $"/api/workspaces/default/jobs/{job}/outputs", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/outputs/{output}", $"/api/workspaces/default/jobs/{job}/outputs/result", Access.WorkspaceRead),
        // A folder, not a file: 400 once access is granted (this host's sandbox cannot reach the TestServer, so no file is ever uploaded).
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/outputs/{output}/files/{**path}", $"/api/workspaces/default/jobs/{job}/outputs/result/files/logs/", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/jobs/{name}/outputs/{output}/zip", $"/api/workspaces/default/jobs/{job}/outputs/result/zip", Access.WorkspaceRead),
        new("POST", "/api/workspaces/{workspace}/jobs/import", "/api/workspaces/default/jobs/import", Access.WorkspaceRead, "command: echo hi\n") { MediaType = "application/yaml" },

        // Online endpoints: readers see them; data scientists create, change and delete them and read their keys.
        new("POST", "/api/workspaces/{workspace}/endpoints/import", "/api/workspaces/default/endpoints/import", Access.WorkspaceWrite, "name: my-endpoint\ncompute: azureml:local-sandbox\n") { MediaType = "application/yaml" },
        new("PUT", "/api/workspaces/{workspace}/endpoints/{name}", "/api/workspaces/default/endpoints/matrix-ep", Access.WorkspaceWrite, "name: matrix-ep\ncompute: azureml:local-sandbox\n") { MediaType = "application/yaml" },
        new("POST", "/api/workspaces/{workspace}/endpoints/import-deployment", "/api/workspaces/default/endpoints/import-deployment", Access.WorkspaceWrite, "name: blue\nendpoint_name: my-endpoint\ntype: kubernetes\nenvironment: {image: python:3.12}\n") { MediaType = "application/yaml" },
        new("PUT", "/api/workspaces/{workspace}/endpoints/{name}/deployments/{deployment}", "/api/workspaces/default/endpoints/my-endpoint/deployments/blue", Access.WorkspaceWrite, "name: blue\nendpoint_name: my-endpoint\ntype: kubernetes\nenvironment: {image: python:3.12}\n") { MediaType = "application/yaml" },
        new("POST", "/api/workspaces/{workspace}/endpoints/{name}/deployments", "/api/workspaces/default/endpoints/my-endpoint/deployments", Access.WorkspaceWrite, "{\"name\": \"green\", \"endpoint_name\": \"my-endpoint\", \"type\": \"kubernetes\", \"environment\": {\"image\": \"python:3.12\"}}"),
        new("GET", "/api/workspaces/{workspace}/endpoints/", "/api/workspaces/default/endpoints/", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/endpoints/{name}", "/api/workspaces/default/endpoints/my-endpoint", Access.WorkspaceRead),
        new("GET", "/api/workspaces/{workspace}/endpoints/{name}/deployments/{deployment}", "/api/workspaces/default/endpoints/my-endpoint/deployments/blue", Access.WorkspaceRead),
        new("PUT", "/api/workspaces/{workspace}/endpoints/{name}/traffic", "/api/workspaces/default/endpoints/my-endpoint/traffic", Access.WorkspaceWrite, "{\"traffic\": {\"blue\": 100}}"),
        new("GET", "/api/workspaces/{workspace}/endpoints/{name}/keys", "/api/workspaces/default/endpoints/my-endpoint/keys", Access.WorkspaceWrite),
        new("POST", "/api/workspaces/{workspace}/endpoints/{name}/keys/{keyType}/regenerate", "/api/workspaces/default/endpoints/my-endpoint/keys/secondary/regenerate", Access.WorkspaceWrite),

        // Checking or previewing a submission changes nothing: readers may too (the form shows why they cannot submit).
        new("POST", "/api/workspaces/{workspace}/jobs/preflight", "/api/workspaces/default/jobs/preflight", Access.WorkspaceRead, "{}"),
        new("POST", "/api/workspaces/{workspace}/jobs/preview", "/api/workspaces/default/jobs/preview", Access.WorkspaceRead, "{}"),
        new("POST", "/api/workspaces/{workspace}/jobs/", "/api/workspaces/default/jobs/", Access.WorkspaceWrite, "{}"),
        new("POST", "/api/workspaces/{workspace}/jobs/cancel", "/api/workspaces/default/jobs/cancel", Access.WorkspaceWrite, "{\"names\":[]}"),
        new("POST", "/api/workspaces/{workspace}/jobs/{name}/outputs/{output}/register", $"/api/workspaces/default/jobs/{job}/outputs/result/register", Access.WorkspaceWrite, "{\"asset\":\"model\",\"name\":\"matrix-model\"}"),
        new("POST", "/api/workspaces/{workspace}/jobs/{name}/cancel", $"/api/workspaces/default/jobs/{job}/cancel", Access.WorkspaceWrite),

        // The studio store's signed URLs: pods call them without a sign-in; the signature is the authorization (a folder path
        // answers 400 before it is checked; the signature checks are LocalArtifactStoreTests').
        new("GET", "/artifacts/{**path}", "/artifacts/snapshots/", Access.Anonymous),
        new("HEAD", "/artifacts/{**path}", "/artifacts/snapshots/", Access.Anonymous),
        new("PUT", "/artifacts/{**path}", "/artifacts/snapshots/", Access.Anonymous, "x"),
        new("POST", "/artifacts/{**path}", "/artifacts/ds/", Access.Anonymous, "x"),

        // Account
        new("GET", "/account/signin", "/account/signin", Access.Anonymous),
        new("POST", "/account/signout", "/account/signout", Access.SignedIn),

        // Pages (a page refusing a workspace or cluster renders "not found" in place: see PageRows)
        new("GET", "/", "/", Access.SignedIn),
        new("GET", "/administration", "/administration", Access.Administrator),
        new("GET", "/access-denied", "/access-denied", Access.SignedIn),
        new("GET", "/clusters", "/clusters", Access.SignedIn),
        new("GET", "/instance-types", "/instance-types", Access.SignedIn),
        new("GET", "/monitoring", "/monitoring", Access.SignedIn),
        new("GET", "/monitor/wall", "/monitor/wall", Access.SignedIn),
        new("GET", "/workspaces", "/workspaces", Access.SignedIn),
        new("GET", "/not-found", "/not-found", Access.Anonymous),
        new("GET", "/signed-out", "/signed-out", Access.Anonymous),

        // Deletes, last: a refused one must leave the object for the allowed ones after it.
        new("DELETE", "/api/workspaces/{workspace}/endpoints/{name}/deployments/{deployment}", "/api/workspaces/default/endpoints/my-endpoint/deployments/green", Access.WorkspaceWrite)
        {
            // The data scientist deletes green; blue takes all the traffic, so the administrator's delete is a 409.
            PathAs = new Dictionary<string, string> { ["admin"] = "/api/workspaces/default/endpoints/my-endpoint/deployments/blue" },
        },
        new("DELETE", "/api/workspaces/{workspace}/endpoints/{name}", "/api/workspaces/default/endpoints/matrix-ep", Access.WorkspaceWrite)
        {
            PathAs = new Dictionary<string, string> { ["admin"] = "/api/workspaces/default/endpoints/my-endpoint" },
        },
        new("DELETE", "/api/workspaces/{name}/members/{userId}", "/api/workspaces/default/members/temp", Access.WorkspaceAdministrator),
        new("DELETE", "/api/clusters/{cluster}/instancetypes/{name}", "/api/clusters/sandbox/instancetypes/matrix-it", Access.Administrator),
        new("DELETE", "/api/workspaces/{ws}/environments/{name}/versions/{version}", "/api/workspaces/default/environments/matrix-env/versions/1", Access.WorkspaceWrite)
        {
            // Both allowed callers posted a version above (1 and 2); each deletes one.
            PathAs = new Dictionary<string, string> { ["admin"] = "/api/workspaces/default/environments/matrix-env/versions/2" },
        },
        new("DELETE", "/api/workspaces/{ws}/data/{name}/versions/{version}", "/api/workspaces/default/data/matrix-data/versions/1", Access.WorkspaceWrite)
        {
            PathAs = new Dictionary<string, string> { ["admin"] = "/api/workspaces/default/data/matrix-data/versions/2" },
        },
        new("DELETE", "/api/workspaces/{ws}/models/{name}/versions/{version}", "/api/workspaces/default/models/matrix-model/versions/1", Access.WorkspaceWrite)
        {
            PathAs = new Dictionary<string, string> { ["admin"] = "/api/workspaces/default/models/matrix-model/versions/2" },
        },
        new("DELETE", "/api/workspaces/{ws}/datastores/{name}", "/api/workspaces/default/datastores/workspaceblobstore", Access.WorkspaceAdministrator),
        new("DELETE", "/api/clusters/{cluster}/extension/", "/api/clusters/sandbox/extension/", Access.Administrator),
        new("DELETE", "/api/clusters/{name}", "/api/clusters/sandbox", Access.Administrator),
        new("DELETE", "/api/workspaces/{workspace}/computes/{name}", "/api/workspaces/default/computes/local-sandbox", Access.WorkspaceAdministrator),
        new("DELETE", "/api/workspaces/{name}", "/api/workspaces/default", Access.WorkspaceAdministrator),
    ];

    /// <summary>Pages of a workspace or a cluster: to whoever may not see it, the page says "not found" and shows nothing of it.</summary>
    private static IReadOnlyList<(string Pattern, string Path, Access Access, string NotFound)> PageRows(string job) =>
    [
        ("/w/{WorkspaceName}/jobs", "/w/default/jobs", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/jobs/{Name}", $"/w/default/jobs/{job}", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/jobs/new", "/w/default/jobs/new", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/compute", "/w/default/compute", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/compute/{Name}", "/w/default/compute/local-sandbox", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/environments", "/w/default/environments", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/data", "/w/default/data", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/data/{Name}", "/w/default/data/matrix-data", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/models", "/w/default/models", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/models/{Name}", "/w/default/models/matrix-model", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/w/{WorkspaceName}/endpoints", "/w/default/endpoints", Access.WorkspaceRead, "Workspace 'default' was not found"),
        ("/workspaces/{Name}/members", "/workspaces/default/members", Access.WorkspaceRead, "not found"),
        ("/clusters/{Name}", "/clusters/sandbox", Access.ClusterRead, "Cluster 'sandbox' is not registered."),
        ("/clusters/{Name}/nodes/{Node}", "/clusters/sandbox/nodes/aks-cpu-10023757-vmss000000", Access.ClusterRead, "Cluster 'sandbox' is not registered."),
    ];

    /// <summary>Routes that only redirect (old links) or serve the framework: no row of their own.</summary>
    private static readonly string[] NotInTheMatrix =
    [
        "/jobs", "/jobs/{*Rest}", "/compute", "/compute/{*Rest}", "/environments", "/environments/{*Rest}", "/endpoints", "/endpoints/{*Rest}",
        "/healthz/live", "/healthz/ready", "/openapi/{documentName}.json", "/hubs/live", "/hubs/live/negotiate", "/_blazor", "/_blazor/negotiate",
        "/_blazor/initializers/", "/_blazor/disconnect/",
    ];

    [Fact]
    public async Task EveryRouteAndPage_AnswersEachIdentity_AsItsRowSays()
    {
        var job = await SetUpAsync();
        var rows = Rows(job);
        var pages = PageRows(job);
        var failures = new List<string>();
        // Deletes run after the pages: they remove what the pages show.
        await CheckRowsAsync(rows.Where(r => r.Method != "DELETE"), failures);
        await CheckPagesAsync(pages, job, failures);
        await CheckRowsAsync(rows.Where(r => r.Method == "DELETE"), failures);

        Assert.True(failures.Count == 0, $"{failures.Count} cells of the authorization matrix differ:\n" + string.Join('\n', failures));
    }

    private async Task CheckRowsAsync(IEnumerable<Row> rows, List<string> failures)
    {
        foreach (var row in rows)
        {
            for (var i = 0; i < Identities.Length; i++)
            {
                var expect = Rules[row.Access][i];
                var path = Identities[i].User is { } user && row.PathAs?.GetValueOrDefault(user) is { } own ? own : row.Path;
                using var response = await SendAsync(Identities[i], row.Method, path, row.Body, row.MediaType);
                if (Mismatch(expect, response, row.Path.StartsWith("/api/", StringComparison.Ordinal)) is { } why)
                {
                    failures.Add($"{row.Method} {path} as {Identities[i].Name}: expected {expect}, got {why}");
                }
            }
        }

    }

    private async Task CheckPagesAsync(IEnumerable<(string Pattern, string Path, Access Access, string NotFound)> pages, string job, List<string> failures)
    {
        foreach (var (_, path, access, notFound) in pages)
        {
            for (var i = 0; i < Identities.Length; i++)
            {
                var expect = Rules[access][i];
                using var response = await SendAsync(Identities[i], "GET", path, null);
                var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
                var saysNotFound = body.Contains(notFound, StringComparison.Ordinal);
                var ok = expect switch
                {
                    Expect.SignIn => Mismatch(Expect.SignIn, response, api: false) is null,
                    Expect.Hidden => response.StatusCode == HttpStatusCode.OK && saysNotFound && !body.Contains(job, StringComparison.Ordinal),
                    _ => response.StatusCode == HttpStatusCode.OK && !saysNotFound,
                };
                if (!ok)
                {
                    failures.Add($"page {path} as {Identities[i].Name}: expected {expect}, got {(int)response.StatusCode}{(saysNotFound ? " saying not found" : string.Empty)}");
                }
            }
        }
    }

    [Fact]
    public void EveryRoute_HasARowInTheMatrix()
    {
        _ = _factory.Server;
        // A page answers GET and POST (forms) under the same authorization: its row covers both.
        var pagePatterns = Rows("x").Where(r => !r.Pattern.StartsWith("/api/", StringComparison.Ordinal) && !r.Pattern.StartsWith("/account/", StringComparison.Ordinal)).Select(r => r.Pattern)
            .Concat(PageRows("x").Select(p => p.Pattern))
            .ToList();
        var covered = Rows("x").Select(r => $"{r.Method} {r.Pattern}")
            .Concat(pagePatterns.SelectMany(p => new[] { $"GET {p}", $"POST {p}" }))
            .ToHashSet(StringComparer.Ordinal);
        var missing = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null)
            .Select(e => (Pattern: "/" + (e.RoutePattern.RawText ?? string.Empty).TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .Where(e => !e.Pattern.StartsWith("/_framework/", StringComparison.Ordinal) && !e.Pattern.StartsWith("/_content/", StringComparison.Ordinal))
            .Where(e => !NotInTheMatrix.Contains(e.Pattern, StringComparer.Ordinal))
            .SelectMany(e => e.Methods.Select(m => $"{m} {e.Pattern}"))
            .Where(route => !covered.Contains(route))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, "Routes without a row in the authorization matrix (add one saying who may call them):\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task SharedCluster_ShowsEachMemberOnlyTheirOwnWorkspacesOnIt()
    {
        await SetUpAsync(submitJob: false);
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var attached = await admin.PostAsJsonAsync("/api/workspaces/beta/computes", new { name = "beta-cpu", cluster = "sandbox", @namespace = "team-beta", createNamespace = true }, Ct);
        Assert.True(attached.IsSuccessStatusCode, await attached.Content.ReadAsStringAsync(Ct));

        var asDana = await _factory.AsUser("dana").GetStringAsync("/api/clusters/sandbox", Ct);
        var asBob = await _factory.AsUser("bob").GetStringAsync("/api/clusters/", Ct);
        var asAdmin = await admin.GetStringAsync("/api/clusters/sandbox", Ct);

        Assert.Contains("default/local-sandbox", asDana, StringComparison.Ordinal);
        Assert.DoesNotContain("beta", asDana, StringComparison.Ordinal);
        Assert.Contains("beta/beta-cpu", asBob, StringComparison.Ordinal);
        Assert.DoesNotContain("local-sandbox", asBob, StringComparison.Ordinal);
        Assert.Contains("beta/beta-cpu", asAdmin, StringComparison.Ordinal);
        Assert.Contains("default/local-sandbox", asAdmin, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _factory.AsUser("nora").GetAsync("/api/clusters/sandbox", Ct)).StatusCode);
    }

    [Fact]
    public async Task EveryHubScope_IsOpenOnlyToWhoeverSeesIt()
    {
        await SetUpAsync(submitJob: false);
        var scopes = new (string Scope, Access Access)[]
        {
            ("cluster:sandbox", Access.ClusterRead),
            ("workspace:default", Access.WorkspaceRead),
            ("job:default/any-job", Access.WorkspaceRead),
            ("endpoint:default/any-endpoint", Access.WorkspaceRead),
        };
        var failures = new List<string>();

        var anonymous = await _factory.CreateClient().PostAsync("/hubs/live/negotiate?negotiateVersion=1", null, Ct);
        if (anonymous.StatusCode != HttpStatusCode.Unauthorized)
        {
            failures.Add($"anonymous negotiate: expected 401, got {(int)anonymous.StatusCode}");
        }

        foreach (var identity in Identities.Where(i => i.User is not null))
        {
            await using var client = new LiveClient(_factory.Server, identity.User!, identity.Roles);
            await client.StartAsync(Ct);
            foreach (var (scope, access) in scopes)
            {
                var expect = Rules[access][Array.IndexOf(Identities, identity)];
                string? refusal = null;
                try
                {
                    await client.SubscribeAsync(scope, Ct);
                    await client.UnsubscribeAsync(scope, Ct);
                }
                catch (HubException e)
                {
                    refusal = e.Message;
                }

                if ((expect == Expect.Allowed) != (refusal is null))
                {
                    failures.Add($"{scope} as {identity.Name}: expected {expect}, got {refusal ?? "subscribed"}");
                }
                else if (refusal is not null && !refusal.Contains("not found", StringComparison.OrdinalIgnoreCase) && !refusal.Contains("not registered", StringComparison.Ordinal))
                {
                    failures.Add($"{scope} as {identity.Name}: refused without saying not found ({refusal}), which discloses that it exists");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// Workspace A ('default', with the sandbox's compute target) gets dana as data scientist and rita as reader; B ('beta')
    /// gets bob; an instance type and a job exist to be read, changed and deleted. Returns the job's name.
    /// </summary>
    private async Task<string> SetUpAsync(bool submitJob = true)
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        (await admin.PutAsJsonAsync("/api/workspaces/default/members/dana", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/default/members/rita", new { role = "Reader" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "beta" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/beta/members/bob", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
        var it = await admin.PostAsJsonAsync("/api/clusters/sandbox/instancetypes/", new { name = "matrix-it", requests = new { cpu = "100m", memory = "128Mi" }, limits = new { cpu = "1", memory = "1Gi" } }, Ct);
        Assert.True(it.IsSuccessStatusCode, await it.Content.ReadAsStringAsync(Ct));
        if (!submitJob)
        {
            return string.Empty;
        }

        const string yaml = "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ncommand: echo matrix > ${{outputs.result}}/a.txt\noutputs:\n  result:\n    type: uri_folder\nenvironment: azureml:AzureML-sklearn-1.5@latest\ncompute: azureml:local-sandbox\ndisplay_name: matrix-job\n";
        var submitted = await admin.PostAsync("/api/workspaces/default/jobs", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Ct);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync(Ct));
        return (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(Identity identity, string method, string path, string? body, string mediaType = "application/json")
    {
        var client = identity.User is null ? _factory.AsUser(null) : _factory.AsUser(identity.User, identity.Roles is null ? [] : [identity.Roles]);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        return await client.SendAsync(request, Ct);
    }

    private static string? Mismatch(Expect expect, HttpResponseMessage response, bool api)
    {
        var status = (int)response.StatusCode;
        var signInChallenge = api ? status == 401 : status is 401 or 302;
        var ok = expect switch
        {
            Expect.Allowed => status < 500 && status is not (401 or 403 or 404) && !(status == 302 && response.Headers.Location?.OriginalString.Contains("access-denied", StringComparison.Ordinal) == true),
            Expect.Hidden => status == 404,
            Expect.Forbidden => status == 403 || (!api && status == 302 && response.Headers.Location?.OriginalString.Contains("access-denied", StringComparison.Ordinal) == true),
            Expect.Refused => status is 403 or 404,
            Expect.SignIn => signInChallenge,
            _ => false,
        };
        return ok ? null : $"{status}{(response.Headers.Location is { } location ? " → " + location : string.Empty)}";
    }

    private sealed record Identity(string Name, string? User, string? Roles);

    private sealed record Row(string Method, string Pattern, string Path, Access Access, string? Body = null)
    {
        public string MediaType { get; init; } = "application/json";

        /// <summary>Another path for one user (by id), where two allowed callers must not act on the same object.</summary>
        public IReadOnlyDictionary<string, string>? PathAs { get; init; }
    }

    private enum Access
    {
        Anonymous,
        SignedIn,
        Administrator,
        ClusterRead,
        WorkspaceRead,
        WorkspaceWrite,
        WorkspaceAdministrator,
    }

    private enum Expect
    {
        Allowed,
        Hidden,
        Forbidden,
        Refused,
        SignIn,
    }
}
