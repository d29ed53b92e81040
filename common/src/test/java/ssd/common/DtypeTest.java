package ssd.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DtypeTest {
    @Test
    void flagNamesAndAliasesParseCaseInsensitivelyAndTrimmed() {
        for (Dtype d : Dtype.values()) assertThat(Dtype.parse(d.flagName())).isEqualTo(d);
        assertThat(Dtype.parse(" FP16 ")).isEqualTo(Dtype.FP16);
        assertThat(Dtype.parse("float32")).isEqualTo(Dtype.FP32);
        assertThat(Dtype.parse("f32")).isEqualTo(Dtype.FP32);
        assertThat(Dtype.parse("half")).isEqualTo(Dtype.FP16);
        assertThat(Dtype.parse("float16")).isEqualTo(Dtype.FP16);
        assertThat(Dtype.parse("BFloat16")).isEqualTo(Dtype.BF16);
    }

    @Test
    void anUnknownNameSaysWhatIsExpected() {
        assertThatThrownBy(() -> Dtype.parse("int8")).hasMessage("unknown dtype 'int8': expected fp32, fp16 or bf16");
        assertThatThrownBy(() -> Dtype.parse(null)).hasMessage("unknown dtype 'null': expected fp32, fp16 or bf16");
        assertThatThrownBy(() -> Dtype.parse("")).hasMessage("unknown dtype '': expected fp32, fp16 or bf16");
    }

    @Test
    void namesBytesAndSafetensorsNames() {
        assertThat(Dtype.FP32.bytes()).isEqualTo(4);
        assertThat(Dtype.FP16.bytes()).isEqualTo(2);
        assertThat(Dtype.BF16.bytes()).isEqualTo(2);
        assertThat(Dtype.BF16).hasToString("bf16");
        assertThat(Dtype.FP16.safetensorsName()).isEqualTo("F16");
        for (Dtype d : Dtype.values()) assertThat(Dtype.fromSafetensors(d.safetensorsName())).isEqualTo(d);
        // The safetensors names are exact: the format spells them in capitals, and other types are not ours.
        assertThat(Dtype.fromSafetensors("f32")).isNull();
        assertThat(Dtype.fromSafetensors("I64")).isNull();
    }
}
