using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Environments;

namespace Studio.Infrastructure.Tests.Jobs;

public sealed class JobEnvironmentTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EnvironmentService Environments => fixture.Services.GetRequiredService<EnvironmentService>();

    private static JobSpec Spec(string environment) =>
        new() { Compute = TestWorkspace.Compute, Command = "echo env", Environment = environment };

    [Fact]
    public async Task Submit_WithAWorkspaceEnvironment_RunsItsLatestImage_AndAPinnedVersionRunsThatOne()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        Assert.True((await Environments.RegisterAsync(ws.Scientist, ws.Name, "trainer", null, "myregistry.azurecr.io/trainer:1.0", null, Ct)).IsSuccess);
        Assert.True((await Environments.RegisterAsync(ws.Scientist, ws.Name, "trainer", null, "myregistry.azurecr.io/trainer:2.0", null, Ct)).IsSuccess);

        var latest = await fixture.Submissions.PreviewManifestsAsync(ws.Scientist, ws.Name, Spec("azureml:trainer@latest"), Ct);
        var pinned = await fixture.Submissions.PreviewManifestsAsync(ws.Scientist, ws.Name, Spec("azureml:trainer:1"), Ct);

        Assert.True(latest.IsSuccess, string.Join("; ", latest.Errors.Select(e => e.Message)));
        Assert.Contains("image: myregistry.azurecr.io/trainer:2.0", latest.Value, StringComparison.Ordinal);
        Assert.Contains("image: myregistry.azurecr.io/trainer:1.0", pinned.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WithAnotherWorkspacesEnvironment_IsRefusedOnTheEnvironmentField()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var other = await fixture.NewWorkspaceAsync(Ct);
        Assert.True((await Environments.RegisterAsync(other.Scientist, other.Name, "secret-env", null, "myregistry.azurecr.io/secret:1.0", null, Ct)).IsSuccess);

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("azureml:secret-env@latest"), Ct);

        var error = Assert.Single(submitted.Errors);
        Assert.Equal("environment", error.Field);
        Assert.DoesNotContain("secret:1.0", error.Message, StringComparison.Ordinal);
    }
}
