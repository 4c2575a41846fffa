namespace Remediator.Notifier.Tests;

public sealed class NotifierOptionsTests
{
    [Fact]
    public void Options_are_read_from_the_environment()
    {
        var variables = new Dictionary<string, string>
        {
            [NotifierOptions.SlackParameterVariable] = "/remediator/slack",
            [NotifierOptions.SnsTopicVariable] = "arn:aws:sns:us-east-1:111122223333:alerts",
            [NotifierOptions.AggregateAboveVariable] = "5",
            [NotifierOptions.WebhookCacheSecondsVariable] = "60",
        };

        var options = NotifierOptions.FromEnvironment(name => variables.GetValueOrDefault(name));

        Assert.Equal(("/remediator/slack", "arn:aws:sns:us-east-1:111122223333:alerts", 5, TimeSpan.FromMinutes(1)),
            (options.SlackParameterName, options.SnsTopicArn, options.AggregateAbove, options.WebhookCacheDuration));
    }

    [Theory]
    [InlineData(NotifierOptions.SnsTopicVariable, "alerts")]
    [InlineData(NotifierOptions.AggregateAboveVariable, "0")]
    [InlineData(NotifierOptions.AggregateAboveVariable, "many")]
    [InlineData(NotifierOptions.WebhookCacheSecondsVariable, "7200")]
    public void A_bad_value_fails_naming_its_variable(string variable, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => NotifierOptions.FromEnvironment(name => name == variable ? value : null));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }
}
