namespace Studio.Sandbox.Tests;

/// <summary>Who am I and what may I do, asked with the real kubectl (authentication.k8s.io and authorization.k8s.io reviews).</summary>
public sealed class KubectlAuthTests(KubectlFixture kubectl) : IClassFixture<KubectlFixture>
{
    [Fact]
    public async Task AuthWhoami_NamesTheSandboxAdministratorAndItsGroups()
    {
        KubectlFixture.RequireKubectl();

        var table = await kubectl.OkAsync("auth", "whoami");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await kubectl.OkAsync("auth", "whoami", "-o", "json"))!;

        Assert.Matches(@"Username\s+sandbox-admin", table);
        Assert.Matches(@"Groups\s+\[system:masters system:authenticated\]", table);
        Assert.Equal("SelfSubjectReview", (string?)json["kind"]);
        Assert.Equal("sandbox-admin", (string?)json["status"]!["userInfo"]!["username"]);
    }
}
