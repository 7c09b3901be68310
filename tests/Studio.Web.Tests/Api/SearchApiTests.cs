using System.Net;
using System.Net.Http.Json;
using Studio.Web.Model;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>
/// The quick finder (Ctrl+K and <c>GET /api/search</c>): finds by part of a name what a person may open, best match
/// first, and never another workspace's objects.
/// </summary>
public sealed class SearchApiTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "nlp" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/nlp/members/dana", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "vision" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/vision/members/vic", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
        var dana = _factory.AsUser("dana");
        (await dana.PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "reviews", type = "uri_file", path = "https://example.com/reviews.csv" }, Ct)).EnsureSuccessStatusCode();
        (await dana.PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "customer-reviews-2026", type = "uri_file", path = "https://example.com/2026.csv" }, Ct)).EnsureSuccessStatusCode();
        var vic = _factory.AsUser("vic");
        (await vic.PostAsJsonAsync("/api/workspaces/vision/data", new { name = "reviews-of-cameras", type = "uri_file", path = "https://example.com/cameras.csv" }, Ct)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<List<QuickFindHit>> FindAsync(string user, string text, string? role = null)
    {
        var client = role is null ? _factory.AsUser(user) : _factory.AsUser(user, role);
        return (await client.GetFromJsonAsync<List<QuickFindHit>>($"/api/search?q={Uri.EscapeDataString(text)}", Ct))!;
    }

    [Fact]
    public async Task Search_FindsOnlyTheCallersWorkspacesObjects_ExactNameFirst()
    {
        var dana = await FindAsync("dana", "reviews");
        var vic = await FindAsync("vic", "reviews");

        Assert.Equal(["reviews", "customer-reviews-2026"], dana.Where(h => h.Kind == "Data asset").Select(h => h.Name));
        Assert.Equal("/w/nlp/data/reviews", dana[0].Href);
        Assert.Equal(["reviews-of-cameras"], vic.Where(h => h.Kind == "Data asset").Select(h => h.Name));
        Assert.DoesNotContain(vic, h => h.Href.Contains("/w/nlp", StringComparison.Ordinal));
        Assert.DoesNotContain(dana, h => h.Href.Contains("/w/vision", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_FindsWorkspacesAndPages_AdministrationOnlyForAdministrators()
    {
        var asDana = await FindAsync("dana", "i");
        var asAdmin = await FindAsync("admin", "admin", StudioRoles.Administrator);

        Assert.Contains(await FindAsync("dana", "nlp"), h => h is { Kind: "Workspace", Name: "nlp", Href: "/w/nlp" });
        Assert.DoesNotContain(asDana, h => h.Kind == "Workspace" && h.Name == "vision");
        Assert.DoesNotContain(asDana, h => h.Href == "/administration");
        Assert.Contains(asAdmin, h => h is { Kind: "Page", Name: "Administration", Href: "/administration" });
    }

    [Fact]
    public async Task Search_NoText_IsA400NamingQ_AndTooLongTextToo()
    {
        var client = _factory.AsUser("dana");

        var empty = await client.GetAsync("/api/search?q=%20", Ct);
        var tooLong = await client.GetAsync($"/api/search?q={new string('x', QuickFind.MaxTextLength + 1)}", Ct);
        var anonymous = await _factory.AsUser(null).GetAsync("/api/search?q=reviews", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("\"q\"", await empty.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 200", await tooLong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("reviews", "reviews", 0)]
    [InlineData("Reviews-2026", "rev", 1)]
    [InlineData("customer-reviews", "REVIEWS", 2)]
    public void Rank_ExactThenPrefixThenContains_IgnoringCase(string name, string text, int rank) => Assert.Equal(rank, QuickFind.Rank(name, text));

    [Fact]
    public void Rank_NoMatch_IsNull() => Assert.Null(QuickFind.Rank("vision", "nlp"));
}
