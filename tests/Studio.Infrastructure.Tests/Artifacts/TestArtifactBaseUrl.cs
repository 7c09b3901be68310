using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>The studio's address for signed URLs, set once the test's artifact server listens.</summary>
public sealed class TestArtifactBaseUrl : IArtifactBaseUrl
{
    public Uri Current { get; set; } = new("http://127.0.0.1:1");
}
