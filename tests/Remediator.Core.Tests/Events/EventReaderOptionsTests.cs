namespace Remediator.Core.Tests.Events;

public sealed class EventReaderOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_documented()
    {
        EventReaderOptions.Default.Validate();

        Assert.Equal(10 * 1024 * 1024, EventReaderOptions.Default.MaxRecordBytes);
    }

    [Theory]
    [InlineData(0, 65536, "MaxRecordBytes")]
    [InlineData(-1, 65536, "MaxRecordBytes")]
    [InlineData(1024, 0, "BufferBytes")]
    [InlineData(1024, 64 * 1024 * 1024, "BufferBytes")]
    public void Out_of_range_settings_are_refused_when_the_reader_is_built(int maxRecordBytes, int bufferBytes, string setting)
    {
        var options = new EventReaderOptions { MaxRecordBytes = maxRecordBytes, BufferBytes = bufferBytes };

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new EventReader(options));

        Assert.Equal(setting, refused.ParamName);
    }
}
