using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Tests.Kubernetes;

public sealed class TransientRetryHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Scripted(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public List<(HttpMethod Method, string? Body)> Seen { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request.Method, request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken)));
            var status = answers[Math.Min(Seen.Count - 1, answers.Length - 1)];
            var response = new HttpResponseMessage(status);
            if (status == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            }

            return response;
        }
    }

    private static HttpRequestMessage Patch(string mediaType) =>
        new(HttpMethod.Patch, "http://cluster/apis/batch/v1/namespaces/ns/jobs/j?fieldManager=studio") { Content = new StringContent("{\"kind\":\"Job\"}", new MediaTypeHeaderValue(mediaType)) };

    [Fact]
    public async Task ServerSideApplyPatch_Is429Then500ThenOk_IsSentAgainWithItsBody_WaitingWhatRetryAfterAsks()
    {
        var inner = new Scripted(HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        using var client = new HttpClient(new TransientRetryHandler { InnerHandler = inner });
        var watch = Stopwatch.StartNew();

        using var response = await client.SendAsync(Patch(TransientRetryHandler.ApplyPatchMediaType), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, inner.Seen.Count);
        Assert.All(inner.Seen, s => Assert.Equal("{\"kind\":\"Job\"}", s.Body));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"{watch.Elapsed}");
    }

    [Fact]
    public async Task NonIdempotentRequests_MergePatchAndPost_AreNeverRetried()
    {
        var inner = new Scripted(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var client = new HttpClient(new TransientRetryHandler { InnerHandler = inner });

        using var merge = await client.SendAsync(Patch("application/merge-patch+json"), Ct);
        using var post = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://cluster/api/v1/namespaces/ns/pods") { Content = new StringContent("{}") }, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, merge.StatusCode);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(2, inner.Seen.Count);
    }

    [Fact]
    public async Task Retries_AreBounded_AndTheLastAnswerIsTheCallers()
    {
        var inner = new Scripted(HttpStatusCode.BadGateway);
        using var client = new HttpClient(new TransientRetryHandler(maxAttempts: 3) { InnerHandler = inner });

        using var response = await client.SendAsync(Patch(TransientRetryHandler.ApplyPatchMediaType), Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, inner.Seen.Count);
    }

    [Fact]
    public void RetryAfter_AsADate_IsHonoured_AndALongOneIsCapped()
    {
        var now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        using var soon = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        soon.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(3));
        using var late = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        late.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromSeconds(3), TransientRetryHandler.Delay(soon, 1, now));
        Assert.Equal(TransientRetryHandler.MaxRetryAfter, TransientRetryHandler.Delay(late, 1, now));
    }
}
