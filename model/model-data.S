/* model-data.S - the parser model (model/en-ewt.ngp) embedded in the
 * library as read-only data: no C array to compile, no relocations; the
 * pages are mapped from the library file when first read.  The build
 * passes the source folder to the assembler (-Wa,-I) for .incbin. */
	.section .rodata.ng_parse_model, "a"
	.balign 64
	.globl ng_parse_model_data
	.hidden ng_parse_model_data
	.type ng_parse_model_data, @object
ng_parse_model_data:
	.incbin "model/en-ewt.ngp"
	.globl ng_parse_model_end
	.hidden ng_parse_model_end
ng_parse_model_end:
	.byte 0
	.section .note.GNU-stack, "", @progbits
