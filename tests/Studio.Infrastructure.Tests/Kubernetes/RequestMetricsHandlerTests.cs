using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Tests.Kubernetes;

public sealed class RequestMetricsHandlerTests
{
    [Theory]
    [InlineData("GET", "/api/v1/pods?watch=true&resourceVersion=5", "pods", "watch")]
    [InlineData("GET", "/api/v1/pods?limit=500", "pods", "list")]
    [InlineData("GET", "/api/v1/namespaces/team/pods/train-0/log", "pods", "get")]
    [InlineData("GET", "/apis/batch/v1/jobs?labelSelector=studio.io%2Fjob&watch=true", "jobs.batch", "watch")]
    [InlineData("PATCH", "/apis/batch/v1/namespaces/team/jobs/train?fieldManager=studio&force=true", "jobs.batch", "patch")]
    [InlineData("GET", "/apis/amlarc.azureml.com/v1alpha1/instancetypes", "instancetypes.amlarc.azureml.com", "list")]
    [InlineData("DELETE", "/api/v1/namespaces/team", "namespaces", "delete")]
    [InlineData("GET", "/api/v1/namespaces", "namespaces", "list")]
    [InlineData("GET", "/apis", "discovery", "get")]
    public void Describe_NamesTheResourceAndVerbOfAnApiRequest(string method, string path, string resource, string verb) =>
        Assert.Equal((resource, verb), RequestMetricsHandler.Describe(new HttpMethod(method), new Uri("http://127.0.0.1:6443" + path)));
}
