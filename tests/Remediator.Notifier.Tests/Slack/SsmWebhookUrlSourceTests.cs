using Microsoft.Extensions.Time.Testing;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Remediator.Notifier.Slack;
using Remediator.Notifier.Tests.Support;
using Remediator.Testing;

namespace Remediator.Notifier.Tests.Slack;

/// <summary>The webhook URL read from a SecureString in moto's SSM, and cached.</summary>
[Collection(MotoCollection.Name)]
public sealed class SsmWebhookUrlSourceTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private const string Parameter = "/remediator/slack-webhook";
    private readonly FakeTimeProvider _clock = new(Records.Time);
    private readonly LocalWebhookServer _slack = new();
    private AmazonSimpleSystemsManagementClient? _ssm;

    private AmazonSimpleSystemsManagementClient Ssm => _ssm ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _ssm = MotoAws.Ssm(moto);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _ssm?.Dispose();
        _slack.Dispose();
    }

    [Fact]
    public async Task The_url_is_read_once_and_reused_until_the_cache_expires()
    {
        await PutAsync(_slack.Url.AbsoluteUri);
        using var source = new SsmWebhookUrlSource(Ssm, Parameter, TimeSpan.FromMinutes(5), _clock);
        using var client = new SlackWebhookClient(source, clock: _clock);

        for (var i = 0; i < 3; i++)
        {
            await client.PostAsync("{}", _clock.GetUtcNow().AddMinutes(1), CancellationToken.None);
        }

        // Rotated in SSM: the cached URL is still used within the cache's lifetime, the new one after it.
        await PutAsync(_slack.OtherUrl.AbsoluteUri, overwrite: true);
        await client.PostAsync("{}", _clock.GetUtcNow().AddMinutes(1), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(6));
        await client.PostAsync("{}", _clock.GetUtcNow().AddMinutes(1), CancellationToken.None);

        Assert.Equal(
            [.. Enumerable.Repeat(LocalWebhookServer.SecretPath, 4), _slack.OtherUrl.AbsolutePath],
            _slack.Requests.Select(r => r.Path));
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task A_missing_parameter_is_a_delivery_error_naming_the_parameter()
    {
        using var source = new SsmWebhookUrlSource(Ssm, Parameter, TimeSpan.FromMinutes(5), _clock);

        var error = await Assert.ThrowsAsync<SlackDeliveryException>(async () => await source.GetAsync(CancellationToken.None));

        Assert.Contains($"'{Parameter}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ParameterNotFound", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url but a secret-ish-value")]
    [InlineData("http://hooks.example.com/services/T0/B0/secret-ish-value")]
    public async Task A_value_that_is_no_https_url_is_refused_without_showing_it(string value)
    {
        await PutAsync(value);
        using var source = new SsmWebhookUrlSource(Ssm, Parameter, TimeSpan.FromMinutes(5), _clock);

        var error = await Assert.ThrowsAsync<SlackDeliveryException>(async () => await source.GetAsync(CancellationToken.None));

        Assert.Contains("does not hold an https URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-ish-value", error.ToString(), StringComparison.Ordinal);
    }

    private async Task PutAsync(string value, bool overwrite = false) =>
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = Parameter, Value = value, Type = ParameterType.SecureString, Overwrite = overwrite });
}
