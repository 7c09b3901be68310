using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Azure;
using Azure.Identity;
using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// Tries a datastore for real — lists one file under its prefix (an https one: a HEAD of its base URL) — and names the
/// cause of a failure from the storage's own answer: an unknown account, container or bucket, a wrong key, an expired
/// SAS, a permission the credential lacks, or a host that does not answer.
/// </summary>
public sealed class DatastoreConnectionTest(DatastoreStores stores, TimeProvider clock)
{
    private static readonly HttpClient Probe = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromSeconds(20) };

    public async Task<DatastoreConnectionResult> RunAsync(Datastore store, DatastoreCredentials secret, CancellationToken cancellationToken)
    {
        if (store.Auth == DatastoreAuth.Sas && ExpiredSas(secret.SasToken) is { } expired)
        {
            return DatastoreConnectionResult.Failure("expired_sas", expired);
        }

        try
        {
            if (store.Kind == DatastoreKind.Https)
            {
                using var request = new HttpRequestMessage(HttpMethod.Head, store.Endpoint);
                using var response = await Probe.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return DatastoreConnectionResult.Success($"{store.Endpoint!.Host} answered ({(int)response.StatusCode} {response.ReasonPhrase}); files are read from {store.Endpoint.AbsoluteUri}.");
            }

            var target = stores.For(store, secret);
            var items = await target.ListAsync(string.Empty, 1, cancellationToken).ConfigureAwait(false);
            return DatastoreConnectionResult.Success(items.Count == 0
                ? $"Connected to {target.Description}; nothing is stored under '{store.Prefix}' yet."
                : $"Connected to {target.Description}; files are listed.");
        }
        catch (RequestFailedException e)
        {
            return Azure(store, e);
        }
        catch (AmazonS3Exception e)
        {
            return S3(store, e);
        }
        catch (AuthenticationFailedException e)
        {
            return DatastoreConnectionResult.Failure("identity_unavailable", $"The studio has no managed or workload identity to sign in to {store.Endpoint?.Host} with: {FirstLine(e.Message)}");
        }
        catch (Exception e) when (Unreachable(e) is { } reason)
        {
            return DatastoreConnectionResult.Failure(reason.Cause, reason.Message);
        }
    }

    private static DatastoreConnectionResult Azure(Datastore store, RequestFailedException e)
    {
        var message = FirstLine(e.Message);
        return e.ErrorCode switch
        {
            "ContainerNotFound" => DatastoreConnectionResult.Failure("unknown_container", $"The storage account has no container '{store.Container}'."),
            "ResourceNotFound" or "AccountNotFound" or "InvalidResourceName" when e.Status is 400 or 404 => DatastoreConnectionResult.Failure("unknown_account", $"The storage account '{DatastoreStores.AccountName(store.Endpoint!)}' was not found at {store.Endpoint!.Host}."),
            "AuthenticationFailed" when message.Contains("expir", StringComparison.OrdinalIgnoreCase) || message.Contains("Signed expiry", StringComparison.OrdinalIgnoreCase) =>
                DatastoreConnectionResult.Failure("expired_sas", "The SAS token has expired: generate a new one and save it."),
            "AuthenticationFailed" or "AuthorizationFailure" when store.Auth == DatastoreAuth.AccountKey =>
                DatastoreConnectionResult.Failure("wrong_key", $"The account key was refused by {store.Endpoint!.Host} (the request's signature did not match): copy key1 or key2 of account '{DatastoreStores.AccountName(store.Endpoint)}' again."),
            "AuthenticationFailed" => DatastoreConnectionResult.Failure("wrong_key", "The SAS token was refused (its signature does not match this account)."),
            "AuthorizationPermissionMismatch" or "AuthorizationFailure" or "AuthorizationResourceTypeMismatch" =>
                DatastoreConnectionResult.Failure("not_permitted", "Signed in, but the credential may not list the container: a SAS needs read, write and list (sp=rwl) on the container."),
            _ => DatastoreConnectionResult.Failure("error", $"{store.Endpoint!.Host} answered {e.Status} {e.ErrorCode}: {message}"),
        };
    }

    private static DatastoreConnectionResult S3(Datastore store, AmazonS3Exception e) => e.ErrorCode switch
    {
        "NoSuchBucket" => DatastoreConnectionResult.Failure("unknown_container", $"{store.Endpoint!.Host} has no bucket '{store.Container}'."),
        "InvalidAccessKeyId" => DatastoreConnectionResult.Failure("wrong_key", $"{store.Endpoint!.Host} does not know the access key id."),
        "SignatureDoesNotMatch" => DatastoreConnectionResult.Failure("wrong_key", $"{store.Endpoint!.Host} refused the secret access key (the request's signature did not match)."),
        "AccessDenied" or "AllAccessDisabled" => DatastoreConnectionResult.Failure("not_permitted", $"Signed in, but the key may not list bucket '{store.Container}' (s3:ListBucket)."),
        _ when e.StatusCode == HttpStatusCode.Moved || e.ErrorCode == "PermanentRedirect" => DatastoreConnectionResult.Failure("error", $"Bucket '{store.Container}' is in another region than '{store.Region ?? "us-east-1"}': set the datastore's region."),
        _ => DatastoreConnectionResult.Failure("error", $"{store.Endpoint!.Host} answered {(int)e.StatusCode} {e.ErrorCode}: {FirstLine(e.Message)}"),
    };

    /// <summary>A connection failure (DNS, refused, timeout) anywhere in the exception chain, as a cause.</summary>
    private static (string Cause, string Message)? Unreachable(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData }:
                    return ("unreachable", $"The host name does not resolve ({FirstLine(inner.Message)}): check the endpoint (for Azure, the account name in it).");
                case SocketException socket:
                    return ("unreachable", $"The endpoint does not answer: {FirstLine(socket.Message)}.");
                case HttpRequestException or TimeoutException or TaskCanceledException or OperationCanceledException when inner is not OperationCanceledException { CancellationToken.IsCancellationRequested: true }:
                    if (inner.InnerException is null)
                    {
                        return ("unreachable", $"The endpoint does not answer: {FirstLine(inner.Message)}.");
                    }

                    break;
            }
        }

        return null;
    }

    private string? ExpiredSas(string? sas)
    {
        var query = System.Web.HttpUtility.ParseQueryString((sas ?? string.Empty).TrimStart('?'));
        if (query["se"] is { } se && DateTimeOffset.TryParse(se, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry) && expiry <= clock.GetUtcNow())
        {
            return string.Create(CultureInfo.InvariantCulture, $"The SAS token expired at {expiry.UtcDateTime:yyyy-MM-dd HH:mm} UTC (se=): generate a new one and save it.");
        }

        return null;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
