using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Tests.Persistence;

/// <summary>
/// The Data Protection key ring at rest: in the studio database next to the credentials it encrypts. With a key-encryption
/// certificate, a stolen copy of the database alone no longer decrypts them; the database file is readable by its owner only.
/// </summary>
public sealed class KeyProtectionTests : IDisposable
{
    private const string Purpose = "Studio.Clusters.Kubeconfig.v1";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "studio-keys-" + Guid.NewGuid().ToString("N")[..8]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public KeyProtectionTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task WithoutACertificate_ACopyOfTheDatabaseAloneDecryptsACredential_AndKeyProtectionSaysSo()
    {
        var secret = await ProtectAsync(Path.Combine(_folder, "studio"), keys: null);
        var copy = CopyDatabase("studio", "stolen");

        await using var thief = await StudioAsync(copy, keys: null);

        Assert.Equal("token-123"u8.ToArray(), thief.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(secret));
        var protection = thief.GetRequiredService<KeyProtection>();
        Assert.False(protection.Encrypted);
        Assert.Contains("anyone with a copy of the database can decrypt every cluster credential", protection.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithACertificate_TheKeyRingIsEncrypted_TheStudioReadsItBack_AndACopyOfTheDatabaseAloneCannot()
    {
        var pfx = WriteCertificate("kek.pfx", "pw");
        var keys = new KeyProtectionOptions { CertificatePath = pfx, CertificatePassword = "pw" };
        var secret = await ProtectAsync(Path.Combine(_folder, "studio"), keys);
        var copy = CopyDatabase("studio", "stolen");

        await using (var restarted = await StudioAsync(Path.Combine(_folder, "studio"), keys))
        {
            Assert.Equal("token-123"u8.ToArray(), restarted.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(secret));
            Assert.True(restarted.GetRequiredService<KeyProtection>().Encrypted);
            await using var db = restarted.Context();
            var xml = Assert.Single(db.DataProtectionKeys.ToList()).Xml!;
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }

        await using var thief = await StudioAsync(copy, keys: null);
        Assert.ThrowsAny<CryptographicException>(() => thief.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(secret));
    }

    [Fact]
    public async Task AfterACertificateRotation_KeysEncryptedWithThePreviousOneAreStillRead()
    {
        var old = WriteCertificate("old.pfx", "pw");
        var secret = await ProtectAsync(Path.Combine(_folder, "studio"), new KeyProtectionOptions { CertificatePath = old, CertificatePassword = "pw" });
        var rotated = new KeyProtectionOptions { CertificatePath = WriteCertificate("new.pfx", "pw"), CertificatePassword = "pw", PreviousCertificatePaths = [old] };

        await using var studio = await StudioAsync(Path.Combine(_folder, "studio"), rotated);

        Assert.Equal("token-123"u8.ToArray(), studio.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(secret));
    }

    [Theory]
    [InlineData("missing.pfx", "pw")]
    [InlineData("kek.pfx", "wrong password")]
    public void ACertificateThatCannotBeLoaded_StopsStartUp_NamingTheSetting(string file, string password)
    {
        WriteCertificate("kek.pfx", "pw");
        var keys = new KeyProtectionOptions { CertificatePath = Path.Combine(_folder, file), CertificatePassword = password };

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddLogging().AddStudioPersistence(new DatabaseOptions(), Path.Combine(_folder, "x"), keys));

        Assert.Contains("Studio:DataProtection:CertificatePath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSqliteDatabaseFile_IsReadableByItsOwnerOnly()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Unix file modes");
        await using var studio = await StudioAsync(Path.Combine(_folder, "studio"), keys: null);

        var file = Path.Combine(_folder, "studio", "studio.db");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        await using (var db = studio.Context())
        {
            await db.Database.OpenConnectionAsync(Ct);
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE wal_probe (x INTEGER); DROP TABLE wal_probe;", Ct);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file + "-wal"));
        }
    }

    private async Task<byte[]> ProtectAsync(string dataFolder, KeyProtectionOptions? keys)
    {
        await using var studio = await StudioAsync(dataFolder, keys);
        return studio.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("token-123"u8.ToArray());
    }

    private static async Task<ServiceProvider> StudioAsync(string dataFolder, KeyProtectionOptions? keys)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddStudioPersistence(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }, dataFolder, keys);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
        return provider;
    }

    private string CopyDatabase(string from, string to)
    {
        SqliteConnection.ClearAllPools();
        var target = Path.Combine(_folder, to);
        Directory.CreateDirectory(target);
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            var source = Path.Combine(_folder, from, "studio.db" + suffix);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(target, "studio.db" + suffix));
            }
        }

        return target;
    }

    private string WriteCertificate(string name, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=studio-kek-{name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
