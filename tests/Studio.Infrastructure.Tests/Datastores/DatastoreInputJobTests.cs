using System.Text.Json;
using k8s;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Datastores;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Tests.Artifacts;
using Studio.Infrastructure.Tests.Jobs;

namespace Studio.Infrastructure.Tests.Datastores;

/// <summary>
/// Jobs reading datastores on the sandbox: an account-key Azure Blob folder (Azurite), an S3 file (s3rver) and a SAS
/// Azure Blob file (through the studio's relay) are fetched for real by the sandbox's kubelet before the command, the job
/// completes, and no datastore secret appears in anything sent to the cluster (the applied manifests, the Job, the pods).
/// </summary>
[Collection(StorageServerCollection.Name)]
public sealed class DatastoreInputJobTests(JobsFixture fixture, AzuriteFixture azurite, S3rverFixture s3) : IClassFixture<JobsFixture>, IClassFixture<AzuriteFixture>, IClassFixture<S3rverFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InputsFromBlobS3AndSasDatastores_AreFetchedBeforeTheCommand_AndNoSecretReachesTheCluster()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var azuriteEndpoint = $"http://127.0.0.1:{azurite.Server.Port}/devstoreaccount1";
        var container = new BlobContainerClient($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DatastoreServiceTests.AzuriteKey};BlobEndpoint={azuriteEndpoint};", "jobdata");
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        var sas = new BlobSasBuilder(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Create, DateTimeOffset.UtcNow.AddHours(1)) { BlobContainerName = "jobdata", Resource = "c", Protocol = SasProtocol.HttpsAndHttp }
            .ToSasQueryParameters(new global::Azure.Storage.StorageSharedKeyCredential("devstoreaccount1", DatastoreServiceTests.AzuriteKey)).ToString();
        // s3rver checks the access key id, not the signature: a distinct secret shows whether it leaks anywhere.
        var s3Secret = "s3-secret-" + Guid.NewGuid().ToString("N");
        var datastores = fixture.Services.GetRequiredService<DatastoreService>();
        DatastoreInput[] inputs =
        [
            new("azure_key", DatastoreKind.AzureBlob, new DatastoreSettings(azuriteEndpoint, "jobdata", ws.Name, null, DatastoreAuth.AccountKey), new DatastoreCredentials(AccountKey: DatastoreServiceTests.AzuriteKey)),
            new("azure_sas", DatastoreKind.AzureBlob, new DatastoreSettings(azuriteEndpoint, "jobdata", ws.Name, null, DatastoreAuth.Sas), new DatastoreCredentials(SasToken: sas)),
            new("s3_bucket", DatastoreKind.S3, new DatastoreSettings($"http://127.0.0.1:{s3.Server.Port}", "studio", ws.Name, null, DatastoreAuth.AccessKey, "us-east-1"), new DatastoreCredentials(AccessKeyId: "S3RVER", SecretAccessKey: s3Secret)),
        ];
        foreach (var input in inputs)
        {
            var created = await datastores.CreateAsync(JobsFixture.Admin, ws.Name, input, Ct);
            Assert.True(created.IsSuccess, string.Join("; ", created.Errors.Select(e => $"{e.Field}: {e.Message}")));
            var store = await fixture.Services.GetRequiredService<DatastoreStores>().ForAsync((await datastores.FindAsync(ws.Id, input.Name!, Ct))!, Ct);
            await store.UploadAsync("cifar/data_batch_1", new MemoryStream(new byte[3000]), Ct);
            await store.UploadAsync("cifar/meta/batches.meta", new MemoryStream("meta"u8.ToArray()), Ct);
        }

        var yaml = """
            command: python train.py --data ${{inputs.images}} --meta ${{inputs.meta}} --batch ${{inputs.batch}}
            environment: {image: python:3.12-slim}
            inputs:
              images: {type: uri_folder, path: "azureml://datastores/azure_key/paths/cifar/"}
              meta: {type: uri_file, path: "azureml://datastores/s3_bucket/paths/cifar/meta/batches.meta", mode: download}
              batch: {type: uri_file, path: "azureml://datastores/azure_sas/paths/cifar/data_batch_1", mode: ro_mount}
            """;

        var submitted = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, yaml, TestWorkspace.Compute, null, null, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.Empty(submitted.Value.Unsupported);
        var done = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct, 120);
        var kubernetesName = await fixture.KubernetesNameAsync(ws, submitted.Value.Name, Ct);
        var pod = Assert.Single((await fixture.Client.CoreV1.ListNamespacedPodAsync(ws.Namespace, labelSelector: $"studio.io/job={kubernetesName}", cancellationToken: Ct)).Items);
        var fetch = pod.Spec.InitContainers.Single(c => c.Name == JobManifests.FetchInputsContainer);
        Assert.Equal(4, fetch.Env.Count);
        Assert.Equal(0, pod.Status.InitContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Contains("python train.py --data /mnt/studio/inputs/images --meta /mnt/studio/inputs/meta/batches.meta --batch /mnt/studio/inputs/batch/data_batch_1", pod.Spec.Containers[0].Args[0], StringComparison.Ordinal);
        var urls = fetch.Env.Select(e => new Uri(e.Value)).ToList();
        Assert.Contains(urls, u => u.Query.Contains("sr=b", StringComparison.Ordinal) && u.AbsolutePath.EndsWith("/cifar/meta/batches.meta", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Query.Contains("X-Amz-Signature=", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.AbsolutePath.Contains("/artifacts/ds/", StringComparison.Ordinal));

        var job = await fixture.Client.BatchV1.ReadNamespacedJobAsync(kubernetesName, ws.Namespace, cancellationToken: Ct);
        var sent = string.Join('\n', done.AppliedManifests, JsonSerializer.Serialize(job), JsonSerializer.Serialize(pod));
        var sasSignature = System.Web.HttpUtility.ParseQueryString(sas)["sig"]!;
        foreach (var secret in new[] { DatastoreServiceTests.AzuriteKey, sas, sasSignature, Uri.EscapeDataString(sasSignature), s3Secret })
        {
            Assert.DoesNotContain(secret, sent, StringComparison.Ordinal);
        }
    }
}
