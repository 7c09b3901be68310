using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using k8s.Autorest;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>Turns what goes wrong talking to an API server into one actionable sentence.</summary>
public static class ClusterProblems
{
    public static string Describe(Exception exception, string? server = null)
    {
        var at = server is null ? "the API server" : server;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationException tls:
                    return $"TLS: the connection to {at} could not be secured — its certificate is not signed by the CA in this kubeconfig, or its name does not match ({tls.Message}).";
                case SocketException socket when socket.SocketErrorCode is SocketError.ConnectionRefused:
                    return $"Unreachable: {at} refused the connection. Is the cluster running, and is the address and port right?";
                case SocketException socket when socket.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData:
                    return $"Unreachable: the host name of {at} does not resolve. Check the server address in the kubeconfig.";
                case SocketException socket:
                    return $"Unreachable: nothing answered at {at} ({socket.SocketErrorCode}). Check the address, firewalls and that the cluster is running.";
                case HttpOperationException { Response.StatusCode: HttpStatusCode.Unauthorized }:
                    return "The API server rejected the credentials (401 Unauthorized): the token or client certificate is invalid or has expired. Rotate the credentials.";
                case HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } forbidden:
                    return $"The credentials are valid but not allowed to do this (403 Forbidden): {Trim(forbidden.Response.Content)}";
                case HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound }:
                    return "The API server does not serve this resource (404): a CustomResourceDefinition may be missing, or the server is not a Kubernetes API server.";
                case HttpOperationException http:
                    return $"The API server answered {(int)http.Response.StatusCode} {http.Response.StatusCode}: {Trim(http.Response.Content)}";
                case TimeoutException or TaskCanceledException:
                    return $"Unreachable: {at} did not answer in time.";
                case HttpRequestException { StatusCode: { } status }:
                    return $"The API server answered {(int)status} {status}.";
            }
        }

        return $"{exception.GetType().Name}: {exception.Message}";
    }

    private static string Trim(string? content) =>
        string.IsNullOrWhiteSpace(content) ? "(no details)" : content.Length > 300 ? content[..300] + "…" : content;
}
